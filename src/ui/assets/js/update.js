// Update page: #/p/<id>/updates/<update id>. Summary, Gantt timeline of the flows, the
// flows with their errors, and the update's events.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { fileLine, fmtDuration, fmtInt, shortId, stateBadge, timeEl } from './format.js';
import { link } from './router.js';
import { timeline } from './timeline.js';
import { eventsTable } from './events.js';
import { errorBox, facts, section, table, td } from './widgets.js';

const FLOW_COLUMNS = [
  { label: 'Flow' }, { label: 'Dataset' }, { label: 'State' }, { label: 'Start' }, { label: 'End' },
  { label: 'Duration', num: true }, { label: 'Output rows', num: true },
];

// A flow's row, and below it, across the table, its error with the source location.
function flowRows(p, f) {
  const row = h('tr', {
    'data-testid': 'flow-row', 'data-flow': f.name, 'data-state': f.state || '', tabindex: -1,
    class: f.error ? 'has-error' : undefined,
  },
  td(f.name, { cls: 'strong' }),
  td(f.dataset ? h('a', { href: link.dataset(p, f.dataset) }, f.dataset) : '—'),
  td(stateBadge(f.state)),
  td(timeEl(f.start), { cls: 'nowrap' }),
  td(timeEl(f.end), { cls: 'nowrap' }),
  td(fmtDuration(f.duration), { num: true }),
  td(fmtInt(f.output_rows), { num: true }));
  if (!f.error) return [row];
  return [row, h('tr', { class: 'error-row', 'data-flow': f.name },
    h('td', { colspan: FLOW_COLUMNS.length },
      f.file ? h('div', { class: 'mono muted', 'data-testid': 'flow-source' }, fileLine(f.file, f.line)) : null,
      h('pre', { class: 'error-text', 'data-testid': 'flow-error', 'data-flow': f.name },
        typeof f.error === 'string' ? f.error : JSON.stringify(f.error, null, 2))))];
}

export function mount(root, ctx) {
  const p = ctx.pipeline.id;
  const id = ctx.args[0];
  const open = new Set();
  const body = h('div', { class: 'stack' });
  replace(root, h('div', { class: 'page' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: link.updates(p) }, 'Updates'), ' / ', shortId(id)),
    body));

  async function load() {
    try {
      const u = await api.update(p, id, ctx.signal);
      const flows = u.flows || [];
      const failed = flows.filter((f) => f.state === 'FAILED').length;
      const flowsTable = table(FLOW_COLUMNS, flows.flatMap((f) => flowRows(p, f)), { testid: 'flows-table', caption: 'Flows', empty: 'No flows.' });
      const onSelect = (f) => {
        const row = flowsTable.querySelector(`tr[data-flow="${CSS.escape(f.name)}"]`);
        if (!row) return;
        row.scrollIntoView({ block: 'center', behavior: 'smooth' });
        row.focus({ preventScroll: true });
        row.classList.add('flash');
        setTimeout(() => row.classList.remove('flash'), 1200);
      };
      replace(body,
        h('header', { class: 'page-head', 'data-testid': 'update-summary', 'data-update-id': u.update_id, 'data-state': u.state || '' },
          h('h1', null, 'Update ', h('span', { class: 'mono', title: u.update_id }, shortId(u.update_id))),
          stateBadge(u.state, 'update-state'),
          h('span', { class: 'spacer' }),
          h('a', { class: 'btn', href: link.graph(p, u.update_id) }, 'Show on graph'),
          h('a', { class: 'btn', href: link.events(p, { update: u.update_id }) }, 'Open in event log')),
        facts([
          ['Id', h('span', { class: 'mono' }, u.update_id)],
          ['Cause', u.cause ? u.cause.replaceAll('_', ' ').toLowerCase() : null],
          ['Full refresh', u.full_refresh === undefined ? null : (u.full_refresh ? 'yes' : 'no')],
          ['Start', timeEl(u.start)], ['End', timeEl(u.end)], ['Duration', fmtDuration(u.duration)],
          ['Flows', `${fmtInt(flows.length)}${failed ? `, ${fmtInt(failed)} failed` : ''}`],
        ]),
        section('Timeline', timeline(u, flows, { onSelect }), { id: 'timeline-section' }),
        section('Flows', flowsTable, { id: 'flows-section' }),
        section(`Events (${fmtInt((u.events || []).length)})`, eventsTable(p, u.events || [], open, { testid: 'update-events' }), { id: 'events-section' }));
    } catch (e) {
      if (e.name !== 'AbortError') replace(body, errorBox(e));
    }
  }
  load();
  return { title: `Update ${shortId(id)}`, reload: load };
}
