// Updates page: #/p/<id>/updates. The pipeline's updates, newest first; a row opens the
// update's page.

import { api } from './api.js';
import { activatable, h, replace } from './dom.js';
import { fmtDuration, fmtInt, shortId, stateBadge, timeEl } from './format.js';
import { link, navigate } from './router.js';
import { errorBox, section, table, td } from './widgets.js';

const COLUMNS = [
  { label: 'State' }, { label: 'Update' }, { label: 'Cause' }, { label: 'Start' },
  { label: 'Duration', num: true }, { label: 'Output rows', num: true }, { label: 'Flows', num: true },
];

export function updateRow(p, u) {
  const cause = [u.cause ? u.cause.replaceAll('_', ' ').toLowerCase() : '—'];
  if (u.full_refresh) cause.push(' ', h('span', { class: 'tag' }, 'full refresh'));
  const flows = [fmtInt(u.flows)];
  if (u.failed_flows > 0) flows.push(' ', h('span', { class: 'fail-text' }, `(${fmtInt(u.failed_flows)} failed)`));
  const tr = h('tr', { 'data-testid': 'update-row', 'data-update-id': u.update_id, 'data-state': u.state || '' },
    td(stateBadge(u.state)),
    td(h('a', { href: link.update(p, u.update_id), class: 'mono', title: u.update_id }, shortId(u.update_id))),
    td(cause),
    td(timeEl(u.start)),
    td(fmtDuration(u.duration), { num: true }),
    td(fmtInt(u.output_rows), { num: true }),
    td(flows, { num: true }));
  return activatable(tr, () => navigate(link.update(p, u.update_id)), `Open update ${shortId(u.update_id)}`);
}

export function mount(root, ctx) {
  const p = ctx.pipeline.id;
  const body = h('div', { class: 'stack', 'aria-busy': 'true' });
  replace(root, h('div', { class: 'page' }, h('h1', null, 'Updates'), body));

  async function load() {
    try {
      const { updates } = await api.updates(p, 100, ctx.signal);
      replace(body, section(`${fmtInt(updates.length)} updates, newest first`,
        table(COLUMNS, updates.map((u) => updateRow(p, u)), {
          testid: 'updates-table', caption: 'Updates', empty: 'No update has run yet: press "Start update".',
        })));
    } catch (e) {
      if (e.name !== 'AbortError') replace(body, errorBox(e));
    }
    body.removeAttribute('aria-busy');
  }
  load();
  return { title: 'Updates', reload: load };
}
