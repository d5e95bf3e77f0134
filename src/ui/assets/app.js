/*
 * Browser front-end of `sluice ui`: a one-page app over the JSON API of docs/ui.md (the
 * contract). No build step: ES modules under /js, dagre (global `dagre`) lays out the
 * graph and uPlot (global `uPlot`) draws the charts, both served from /vendor.
 *
 * Routes (hash; segments percent-encoded, since pipeline ids and dataset names may hold
 * "/"):
 *   #/                               pipelines (straight to the graph when there is one)
 *   #/p/<id>/graph[?update=ID]       dataflow graph, coloured by an update (latest default)
 *   #/p/<id>/updates                 updates
 *   #/p/<id>/updates/<update id>     one update: timeline, flows, events
 *   #/p/<id>/quality[?last=N&dataset=NAME]   data quality per expectation
 *   #/p/<id>/datasets/<name>[?version=N]     one dataset, rows at version N
 *   #/p/<id>/events[?update=&type=&level=&flow=&limit=]   event log
 *
 * data-testid attributes (stable hooks for browser tests):
 *   shell:     app-header, nav-tab [data-page], pipeline-select, pipeline-name,
 *              live-indicator [data-running=true|false, data-connection], theme-toggle
 *              [data-theme], start-update, stop-update, action-error (failed action's
 *              server message), toast, page-error, page [data-page] (the <main>)
 *   pipelines: pipelines-table, pipeline-row [data-pipeline-id]
 *   graph:     graph-svg [data-scale], graph-canvas, graph-minimap, graph-node [data-name,
 *              data-state, data-type, data-selected, data-failed-expectations, data-match],
 *              node-warning, node-select [data-name] (role=checkbox), graph-edge [data-from,
 *              data-to], graph-search, graph-search-info, graph-fit, graph-zoom-in,
 *              graph-zoom-out, graph-update-select, graph-summary, graph-update-state,
 *              graph-update-link, selection-count, clear-selection, full-refresh-selected,
 *              full-refresh-all (two clicks)
 *   updates:   updates-table, update-row [data-update-id, data-state]
 *   update:    update-summary [data-update-id, data-state], update-state, timeline,
 *              timeline-bar [data-flow, data-state], timeline-tooltip, flows-table,
 *              flow-row [data-flow, data-state], flow-error, flow-source, update-events
 *   quality:   quality-last-select, quality-dataset-select, quality-expectation
 *              [data-dataset, data-expectation], quality-chart [data-dataset,
 *              data-expectation], quality-table, quality-row [data-update-id],
 *              quality-cell [data-update-id, data-field=passed_records|failed_records|
 *              dropped_records, data-value]
 *   dataset:   dataset-name, dataset-type, dataset-state, dataset-source,
 *              dataset-code, dataset-definition, columns-table, column-row [data-name],
 *              properties-table,
 *              upstream-link [data-name], downstream-link [data-name], version-select,
 *              rows-box, rows-info [data-version], rows-table, rows-row, rows-error,
 *              history-table, history-row [data-version], checkpoints-table,
 *              checkpoint-row [data-flow], checkpoint-sources
 *   events:    filter-update, filter-type, filter-level, filter-flow, filter-limit,
 *              filter-reset, events-section, events-table, event-row [data-event-id,
 *              data-level, data-type, aria-expanded], event-details [data-event-id],
 *              event-details-json, event-error
 *
 * Keys: "/" focuses the page's search or filter box; Enter/Space open focused rows and
 * graph nodes; arrow keys move between graph nodes; Escape clears the graph search.
 */

import { api, setToken } from './js/api.js';
import { h, replace } from './js/dom.js';
import { Live } from './js/live.js';
import { hashFor, link, parseHash } from './js/router.js';
import { setupThemeToggle } from './js/theme.js';
import { startUpdate, stopUpdate } from './js/actions.js';
import { errorBox, loading } from './js/widgets.js';
import * as pipelinesPage from './js/pipelines.js';
import * as graphPage from './js/graph.js';
import * as updatesPage from './js/updates.js';
import * as updatePage from './js/update.js';
import * as qualityPage from './js/quality.js';
import * as datasetPage from './js/dataset.js';
import * as eventsPage from './js/events.js';

const TABS = [['graph', 'Graph'], ['updates', 'Updates'], ['quality', 'Data quality'], ['events', 'Event log']];
const RELOAD_DELAY_MS = 400;   // live changes come in bursts (one per flow event)

const els = {
  main: document.getElementById('main'),
  tabs: document.getElementById('tabs'),
  switcher: document.getElementById('pipeline-switch'),
  actions: document.getElementById('header-actions'),
  live: document.getElementById('live'),
  theme: document.getElementById('theme-toggle'),
};

const state = {
  pipelines: [],
  pipeline: null,
  running: false,
  connection: 'none',
  page: null,
  controller: null,
  firstRoute: true,
};

// ---- live updates ----

let reloadTimer = null;
let reloading = false;
let reloadAgain = false;

function scheduleReload() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(runReload, RELOAD_DELAY_MS);
}

// One reload at a time; changes arriving meanwhile cause one more afterwards.
async function runReload() {
  if (!state.page || !state.page.reload) return;
  if (reloading) {
    reloadAgain = true;
    return;
  }
  reloading = true;
  // A reload may redraw the focused element; focus returns to it (or to the element with
  // its id) so keyboard users keep their place.
  const focused = document.activeElement;
  const focusedId = focused && focused.id;
  try {
    await state.page.reload();
  } catch { /* pages show their own errors */ }
  reloading = false;
  if (focused && focused !== document.body && document.activeElement !== focused) {
    const target = focused.isConnected ? focused : (focusedId && document.getElementById(focusedId));
    if (target && (document.activeElement === document.body || !document.activeElement)) target.focus({ preventScroll: true });
  }
  if (reloadAgain) {
    reloadAgain = false;
    scheduleReload();
  }
}

const live = new Live({
  onChange: (data) => {
    if (typeof data.running === 'boolean') {
      state.running = data.running;
      if (state.pipeline) state.pipeline.running = data.running;
    }
    drawLive();
    scheduleReload();
  },
  onStatus: (status) => {
    state.connection = status;
    drawLive();
  },
});

function drawLive() {
  const el = els.live;
  const running = !!state.running;
  el.dataset.running = String(running);
  el.dataset.connection = state.connection;
  let text = running ? 'Running' : 'Idle';
  let title = running ? 'An update is running; the page follows it.' : 'No update is running.';
  if (state.connection === 'reconnecting' || state.connection === 'closed') {
    text = 'Offline';
    title = 'Lost the connection to sluice; retrying.';
  }
  el.className = `live live-${text.toLowerCase()}`;
  el.title = title;
  replace(el, h('span', { class: 'live-dot', 'aria-hidden': 'true' }), text);
  const stop = els.actions.querySelector('[data-testid="stop-update"]');
  // Without the live stream the running state is unknown: Stop stays available.
  if (stop) stop.disabled = !running && state.connection === 'connected';
}

// ---- header ----

function drawHeader(pageName) {
  const pl = state.pipeline;
  if (!pl) {
    replace(els.switcher);
    replace(els.tabs);
    replace(els.actions);
    els.live.hidden = true;
    return;
  }
  els.live.hidden = false;
  if (state.pipelines.length > 1) {
    const sel = h('select', { 'data-testid': 'pipeline-select', 'aria-label': 'Pipeline' },
      state.pipelines.map((x) => h('option', { value: x.id }, x.id)));
    sel.value = pl.id;
    sel.addEventListener('change', () => { location.hash = link.graph(sel.value); });
    replace(els.switcher, sel);
  } else {
    replace(els.switcher, h('span', { class: 'pipeline-name', 'data-testid': 'pipeline-name', title: pl.settings_file || '' }, pl.name));
  }
  const active = { update: 'updates', dataset: 'graph' }[pageName] || pageName;
  replace(els.tabs, TABS.map(([key, label]) => h('a', {
    href: hashFor(['p', pl.id, key]), class: 'tab', 'data-testid': 'nav-tab', 'data-page': key,
    'aria-current': key === active ? 'page' : null,
  }, label)));
  const start = h('button', {
    type: 'button', class: 'btn btn-primary', 'data-testid': 'start-update', 'aria-label': 'Start an update',
    onclick: async () => {
      start.disabled = true;
      if (await startUpdate(pl.id)) scheduleReload();
      start.disabled = false;
    },
  }, 'Start update');
  const stop = h('button', {
    type: 'button', class: 'btn', 'data-testid': 'stop-update', 'aria-label': 'Stop the running update',
    onclick: async () => {
      stop.disabled = true;
      await stopUpdate(pl.id);
      drawLive();
    },
  }, 'Stop');
  replace(els.actions, start, stop);
  drawLive();
}

// ---- routing ----

async function loadPipelines() {
  const data = await api.pipelines();
  state.pipelines = data.pipelines || [];
  setToken(data.token);
}

function mountPage(module, pageName, ctxExtra) {
  if (state.page && state.page.destroy) state.page.destroy();
  if (state.controller) state.controller.abort();
  state.controller = new AbortController();
  clearTimeout(reloadTimer);
  reloadAgain = false;
  els.main.dataset.page = pageName;
  replace(els.main, loading());
  const ctx = {
    signal: state.controller.signal,
    pipelines: state.pipelines,
    reloadPipelines: loadPipelines,
    ...ctxExtra,
  };
  state.page = module.mount(els.main, ctx);
  const parts = [state.page.title, state.pipeline && state.pipeline.name, 'sluice'].filter(Boolean);
  document.title = parts.join(' · ');
}

function showError(message) {
  if (state.page && state.page.destroy) state.page.destroy();
  state.page = null;
  els.main.dataset.page = 'error';
  replace(els.main, h('div', { class: 'page' }, errorBox(new Error(message)),
    h('p', null, h('a', { href: '#/' }, 'All pipelines'))));
}

function route() {
  const { segments, query } = parseHash(location.hash);
  if (!state.firstRoute) {
    window.scrollTo(0, 0);
    els.main.focus({ preventScroll: true });
  }
  state.firstRoute = false;

  if (!segments.length) {
    if (state.pipelines.length === 1) {
      location.replace(link.graph(state.pipelines[0].id));
      return;
    }
    state.pipeline = null;
    live.close();
    drawHeader();
    mountPage(pipelinesPage, 'pipelines', {});
    return;
  }
  if (segments[0] !== 'p' || segments.length < 2) {
    showError(`No page at ${location.hash}.`);
    return;
  }
  const pl = state.pipelines.find((x) => x.id === segments[1]);
  if (!pl) {
    state.pipeline = null;
    live.close();
    drawHeader();
    showError(`No pipeline "${segments[1]}".`);
    return;
  }
  if (segments.length === 2) {
    location.replace(link.graph(pl.id));
    return;
  }
  if (state.pipeline !== pl) {
    state.pipeline = pl;
    state.running = !!pl.running;
    state.connection = 'none';
    live.open(api.liveUrl(pl.id));
  }
  const [, , page, ...args] = segments;
  let module = null;
  let name = page;
  if (page === 'graph') module = graphPage;
  else if (page === 'updates' && args.length) { module = updatePage; name = 'update'; }
  else if (page === 'updates') module = updatesPage;
  else if (page === 'quality') module = qualityPage;
  else if (page === 'datasets' && args.length) { module = datasetPage; name = 'dataset'; }
  else if (page === 'events') module = eventsPage;
  drawHeader(name);
  if (!module) {
    showError(`No page "${page}".`);
    return;
  }
  mountPage(module, name, { pipeline: pl, args, query });
}

// ---- keys ----

document.addEventListener('keydown', (e) => {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t.closest && t.closest('input, textarea, select, [contenteditable="true"]')) return;
  const box = els.main.querySelector('[data-search]');
  if (box) {
    e.preventDefault();
    box.focus();
    if (box.select) box.select();
  }
});

// ---- start ----

async function boot() {
  setupThemeToggle(els.theme);
  try {
    await loadPipelines();
  } catch (e) {
    replace(els.main, h('div', { class: 'page' }, errorBox(e)));
    return;
  }
  window.addEventListener('hashchange', route);
  route();
}

boot();
