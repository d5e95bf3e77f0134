// Event log page: #/p/<id>/events[?update=&type=&level=&flow=&limit=], and the events
// table the update page shares. The filters map one to one onto the query parameters of
// GET /api/pipelines/{p}/events. A row opens (Enter/Space/click) its details below it.

import { api } from './api.js';
import { activatable, h, replace } from './dom.js';
import { fmtInt, fmtShortTime, shortId, stateLabel } from './format.js';
import { link, replaceQuery } from './router.js';
import { errorBox, jsonPre, section, table, td } from './widgets.js';

// docs/event-log.md
const TYPES = ['create_update', 'update_progress', 'dataset_definition', 'sink_definition',
  'flow_definition', 'flow_progress', 'planning_information'];
const LEVELS = ['INFO', 'WARN', 'ERROR'];
const LIMITS = ['100', '1000', '5000'];

const COLUMNS = [{ label: 'Time' }, { label: 'Level' }, { label: 'Type' }, { label: 'Flow' }, { label: 'Message' }];

function levelBadge(level) {
  const cls = level === 'ERROR' ? 'fail' : level === 'WARN' ? 'warn' : 'none';
  return h('span', { class: `badge state-${cls}` }, level || '—');
}

function detailsPanel(p, ev) {
  const meta = [
    ['Event', ev.id], ['Time (UTC)', ev.timestamp], ['Update', ev.update_id],
    ['Flow', ev.flow_name], ['Dataset', ev.dataset_name],
  ].filter(([, v]) => v);
  return h('div', { class: 'event-details', 'data-testid': 'event-details', 'data-event-id': ev.id },
    h('dl', { class: 'facts' }, meta.map(([k, v]) => {
      let value = v;
      if (k === 'Update') value = h('a', { href: link.update(p, v), class: 'mono' }, v);
      else if (k === 'Dataset') value = h('a', { href: link.dataset(p, v) }, v);
      return [h('dt', null, k), h('dd', null, value)];
    })),
    ev.error ? [h('h3', null, 'Error'), jsonPre(ev.error, 'event-error')] : null,
    h('h3', null, 'Details'), jsonPre(ev.details === undefined ? null : ev.details, 'event-details-json'));
}

// A table of events in the given order. `open` is a Set of event ids whose details are
// shown; it is kept by the caller so a reload leaves them open.
export function eventsTable(p, events, open, { testid = 'events-table', empty = 'No events.' } = {}) {
  const rows = [];
  for (const ev of events) {
    const expanded = open.has(ev.id);
    const detailsId = `ev-${ev.id}`;
    const tr = h('tr', {
      'data-testid': 'event-row', 'data-event-id': ev.id, 'data-level': ev.level || '',
      'data-type': ev.event_type || '', 'aria-expanded': String(expanded), 'aria-controls': detailsId,
      class: ev.level === 'ERROR' ? 'row-error' : ev.level === 'WARN' ? 'row-warn' : undefined,
    },
    td(h('time', { datetime: ev.timestamp, title: `${ev.timestamp} (UTC)` }, fmtShortTime(ev.timestamp)), { cls: 'nowrap' }),
    td(levelBadge(ev.level)),
    td(ev.event_type ? ev.event_type.replaceAll('_', ' ') : '—', { cls: 'nowrap' }),
    td(ev.flow_name || '', { cls: 'nowrap' }),
    td(ev.message || '', { cls: 'msg' }));
    const detailRow = h('tr', { class: 'details-row', id: detailsId, hidden: !expanded },
      h('td', { colspan: COLUMNS.length }, expanded ? detailsPanel(p, ev) : null));
    activatable(tr, () => {
      const now = !open.has(ev.id);
      if (now) open.add(ev.id); else open.delete(ev.id);
      tr.setAttribute('aria-expanded', String(now));
      detailRow.hidden = !now;
      replace(detailRow.firstChild, now ? detailsPanel(p, ev) : null);
    });
    rows.push(tr, detailRow);
  }
  return table(COLUMNS, rows, { testid, caption: 'Events', empty, cls: 'events' });
}

function select(id, testid, label, options, value) {
  const el = h('select', { id, 'data-testid': testid },
    options.map(([v, text]) => h('option', { value: v }, text)));
  el.value = value;
  return h('label', { class: 'field' }, h('span', null, label), el);
}

export function mount(root, ctx) {
  const p = ctx.pipeline.id;
  const filters = {
    update: ctx.query.get('update') || '',
    type: ctx.query.get('type') || '',
    level: ctx.query.get('level') || '',
    flow: ctx.query.get('flow') || '',
    limit: ctx.query.get('limit') || '1000',
  };
  const open = new Set();
  const body = h('div', { class: 'events-body' });
  const filterBar = h('form', { class: 'toolbar filters', role: 'search', 'aria-label': 'Filter events' });
  replace(root, h('div', { class: 'page' }, h('h1', null, 'Event log'), filterBar, body));

  let updates = [];
  let flows = [];
  let flowTimer = null;

  function apply() {
    replaceQuery({ ...filters, limit: filters.limit === '1000' ? '' : filters.limit });
    loadEvents();
  }

  function drawFilters() {
    const updateOpts = [['', 'All updates'], ...updates.map((u) =>
      [u.update_id, `${fmtShortTime(u.start)} · ${stateLabel(u.state)} · ${shortId(u.update_id)}`])];
    if (filters.update && !updates.some((u) => u.update_id === filters.update)) updateOpts.push([filters.update, shortId(filters.update)]);
    const flowInput = h('input', {
      id: 'filter-flow', 'data-testid': 'filter-flow', type: 'search', list: 'flow-names', value: filters.flow,
      placeholder: 'any flow', autocomplete: 'off', spellcheck: 'false', 'data-search': '',
    });
    const parts = [
      select('filter-update', 'filter-update', 'Update', updateOpts, filters.update),
      select('filter-type', 'filter-type', 'Type', [['', 'All types'], ...TYPES.map((t) => [t, t.replaceAll('_', ' ')])], filters.type),
      select('filter-level', 'filter-level', 'Level', [['', 'All levels'], ...LEVELS.map((l) => [l, l])], filters.level),
      h('label', { class: 'field' }, h('span', null, 'Flow'), flowInput,
        h('datalist', { id: 'flow-names' }, flows.map((f) => h('option', { value: f })))),
      select('filter-limit', 'filter-limit', 'Show', LIMITS.map((l) => [l, `last ${fmtInt(Number(l))}`]), filters.limit),
      h('button', { type: 'reset', class: 'btn btn-link', 'data-testid': 'filter-reset' }, 'Clear filters'),
    ];
    replace(filterBar, parts);
    for (const key of ['update', 'type', 'level', 'limit']) {
      filterBar.querySelector(`#filter-${key}`).addEventListener('change', (e) => {
        filters[key] = e.target.value;
        apply();
      });
    }
    flowInput.addEventListener('input', () => {
      clearTimeout(flowTimer);
      flowTimer = setTimeout(() => {
        filters.flow = flowInput.value.trim();
        apply();
      }, 350);
    });
  }
  filterBar.addEventListener('submit', (e) => e.preventDefault());
  filterBar.addEventListener('reset', (e) => {
    e.preventDefault();
    Object.assign(filters, { update: '', type: '', level: '', flow: '', limit: '1000' });
    drawFilters();
    apply();
  });

  async function loadEvents() {
    body.setAttribute('aria-busy', 'true');
    try {
      const { events } = await api.events(p, filters, ctx.signal);
      const newest = [...events].reverse();
      replace(body, section(`${fmtInt(events.length)} events, newest first`,
        eventsTable(p, newest, open, { empty: 'No events match these filters.' }), { testid: 'events-section' }));
    } catch (e) {
      if (e.name !== 'AbortError') replace(body, errorBox(e));
    }
    body.removeAttribute('aria-busy');
  }

  async function loadChoices() {
    try {
      const [u, g] = await Promise.all([api.updates(p, 100, ctx.signal), api.graph(p, undefined, ctx.signal)]);
      updates = u.updates || [];
      flows = [...new Set((g.flows || []).map((f) => f.name))].sort();
      // Redraw only when nothing is being typed into the flow box.
      if (!filterBar.contains(document.activeElement)) drawFilters();
    } catch (e) {
      if (e.name !== 'AbortError') drawFilters();
    }
  }

  drawFilters();
  loadChoices();
  loadEvents();
  return {
    title: 'Event log',
    reload: () => Promise.all([loadChoices(), loadEvents()]),
    destroy: () => clearTimeout(flowTimer),
  };
}
