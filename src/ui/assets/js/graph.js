// Graph page: #/p/<id>/graph[?update=ID]. The datasets coloured by their state in the
// chosen update (the latest by default), with search, zoom, and the selection of tables to
// refresh fully.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { fmtDuration, fmtShortTime, shortId, stateBadge, stateLabel } from './format.js';
import { GraphView, isRefreshable } from './graph-view.js';
import { link, navigate, replaceQuery } from './router.js';
import { startUpdate } from './actions.js';
import { errorBox, notice } from './widgets.js';

const LEGEND = [
  ['ok', 'completed'], ['fail', 'failed'], ['run', 'running'], ['skip', 'skipped, excluded, idle'], ['none', 'not run'],
];

export function mount(root, ctx) {
  const p = ctx.pipeline.id;
  let selectedUpdate = ctx.query.get('update') || '';
  const selection = new Set();
  let graph = null;
  let updates = [];
  let view = null;

  const updateSelect = h('select', {
    id: 'graph-update', 'data-testid': 'graph-update-select',
    onchange: () => {
      selectedUpdate = updateSelect.value;
      replaceQuery({ update: selectedUpdate });
      load();
    },
  });
  const summary = h('div', { class: 'graph-summary', 'data-testid': 'graph-summary', 'aria-live': 'polite' });
  const names = h('datalist', { id: 'graph-names' });
  const search = h('input', {
    type: 'search', id: 'graph-search', 'data-testid': 'graph-search', 'data-search': '',
    placeholder: 'Find a dataset  ( / )', 'aria-label': 'Find a dataset by name', list: 'graph-names',
    autocomplete: 'off', spellcheck: 'false',
  });
  const searchInfo = h('span', { class: 'search-info muted', 'data-testid': 'graph-search-info', 'aria-live': 'polite' });
  const selCount = h('span', { class: 'sel-count', 'data-testid': 'selection-count' });
  const clearSel = h('button', {
    type: 'button', class: 'btn btn-link', 'data-testid': 'clear-selection',
    onclick: () => { selection.clear(); onSelectionChange(); },
  }, 'Clear');
  const refreshSel = h('button', {
    type: 'button', class: 'btn', 'data-testid': 'full-refresh-selected',
    title: 'Start an update that recomputes the selected tables from scratch',
    onclick: async () => {
      if (!selection.size) return;
      refreshSel.disabled = true;
      const ok = await startUpdate(p, { full_refresh: [...selection] });
      if (ok) selection.clear();
      onSelectionChange();
    },
  }, 'Full refresh selected');
  let confirmTimer = null;
  const refreshAll = h('button', {
    type: 'button', class: 'btn', 'data-testid': 'full-refresh-all',
    title: 'Start an update that recomputes every table from scratch',
    onclick: async () => {
      // Two clicks: a full refresh of everything throws away all streaming state.
      if (!refreshAll.classList.contains('confirm')) {
        refreshAll.classList.add('confirm');
        refreshAll.textContent = 'Confirm: refresh all';
        confirmTimer = setTimeout(resetConfirm, 4000);
        return;
      }
      resetConfirm();
      await startUpdate(p, { full_refresh_all: true });
    },
  }, 'Full refresh all');
  function resetConfirm() {
    clearTimeout(confirmTimer);
    refreshAll.classList.remove('confirm');
    refreshAll.textContent = 'Full refresh all';
  }

  const canvas = h('div', { class: 'graph-canvas', 'data-testid': 'graph-canvas' });
  const message = h('div', { class: 'graph-message' });
  const legend = h('ul', { class: 'legend', 'aria-label': 'Colours of states' },
    LEGEND.map(([cls, label]) => h('li', null, h('span', { class: `dot state-${cls}`, 'aria-hidden': 'true' }), label)),
    h('li', null, h('span', { class: 'warn-mark', 'aria-hidden': 'true' }, '⚠'), 'failed expectations'));

  const zoomBtn = (label, text, testid, fn) =>
    h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': label, title: label, 'data-testid': testid, onclick: fn }, text);

  replace(root, h('div', { class: 'graph-page' },
    h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Graph tools' },
      h('label', { class: 'field' }, h('span', null, 'Update'), updateSelect),
      summary,
      h('span', { class: 'spacer' }),
      h('div', { class: 'search-box' }, search, names, searchInfo),
      h('div', { class: 'btn-group' },
        zoomBtn('Zoom out', '−', 'graph-zoom-out', () => view && view.zoomBy(1 / 1.25)),
        zoomBtn('Zoom in', '+', 'graph-zoom-in', () => view && view.zoomBy(1.25)),
        h('button', { type: 'button', class: 'btn', 'data-testid': 'graph-fit', 'aria-label': 'Fit the graph to the view', onclick: () => view && view.fit() }, 'Fit'))),
    h('div', { class: 'toolbar toolbar-2' },
      h('span', { class: 'muted' }, 'Tick tables on the graph to refresh them fully.'),
      selCount, clearSel, refreshSel, refreshAll,
      h('span', { class: 'spacer' }), legend),
    h('div', { class: 'graph-wrap' }, canvas, message)));

  function drawSelectionTools() {
    selCount.textContent = selection.size ? `${selection.size} selected` : 'None selected';
    refreshSel.disabled = selection.size === 0;
    clearSel.hidden = selection.size === 0;
    refreshSel.textContent = selection.size ? `Full refresh selected (${selection.size})` : 'Full refresh selected';
  }

  // Redraws the node whose selection changed (every refreshable one when none is named).
  function onSelectionChange(changed) {
    drawSelectionTools();
    if (!graph || !view) return;
    for (const ds of graph.datasets) {
      if (isRefreshable(ds.type) && (!changed || changed === ds.name)) view.redrawNode(ds);
    }
  }
  onSelectionChange();

  search.addEventListener('input', () => {
    if (!view) return;
    const m = view.highlight(search.value);
    searchInfo.textContent = search.value.trim() ? (m.length ? `${m.length} found` : 'none found') : '';
    // Centre a single (or exact) match straight away.
    if (m.length === 1 || (m.length && m[0].toLowerCase() === search.value.trim().toLowerCase())) view.nextMatch();
  });
  search.addEventListener('keydown', (e) => {
    if (!view) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      const name = view.nextMatch();
      if (name && e.shiftKey) view.focusNode(name);
    } else if (e.key === 'Escape') {
      search.value = '';
      view.highlight('');
      searchInfo.textContent = '';
    } else if (e.key === 'ArrowDown' && view.matches.length) {
      // Into the graph, on the current match.
      e.preventDefault();
      view.focusNode(view.matches[Math.max(0, view.matchIndex)]);
    }
  });

  let updateChoices = '';
  function fillUpdates() {
    const choices = JSON.stringify([selectedUpdate, updates.map((u) => [u.update_id, u.state])]);
    if (choices === updateChoices) return;
    updateChoices = choices;
    const opts = [h('option', { value: '' }, 'Latest update')];
    for (const u of updates) {
      opts.push(h('option', { value: u.update_id },
        `${fmtShortTime(u.start)} · ${stateLabel(u.state)} · ${shortId(u.update_id)}`));
    }
    if (selectedUpdate && !updates.some((u) => u.update_id === selectedUpdate)) {
      opts.push(h('option', { value: selectedUpdate }, shortId(selectedUpdate)));
    }
    replace(updateSelect, opts);
    updateSelect.value = selectedUpdate;
  }

  function fillSummary() {
    const id = graph && graph.update_id;
    if (!id) {
      replace(summary, h('span', { class: 'muted' }, 'No update has run yet.'));
      return;
    }
    const u = updates.find((x) => x.update_id === id);
    replace(summary,
      u ? stateBadge(u.state, 'graph-update-state') : null,
      u ? h('span', { class: 'muted' }, `${fmtShortTime(u.start)} · ${fmtDuration(u.duration)}`) : null,
      h('a', { href: link.update(p, id), 'data-testid': 'graph-update-link' }, `Update ${shortId(id)}`));
  }

  async function load() {
    try {
      const [g, u] = await Promise.all([
        api.graph(p, selectedUpdate || undefined, ctx.signal),
        api.updates(p, 100, ctx.signal),
      ]);
      graph = g;
      updates = u.updates || [];
      fillUpdates();
      fillSummary();
      if (typeof dagre === 'undefined') {
        replace(message, errorBox(new Error('The graph layout library (/vendor/dagre.min.js) is missing: run scripts/setup.sh.')));
        return;
      }
      if (!graph.datasets.length && !graph.edges.length) {
        replace(message, notice('This pipeline defines no datasets.'));
        return;
      }
      replace(message);
      if (!view) {
        view = new GraphView(canvas, {
          onOpen: (name) => navigate(link.dataset(p, name)),
          onToggle: (name) => {
            if (selection.has(name)) selection.delete(name); else selection.add(name);
            onSelectionChange(name);
          },
          isSelected: (name) => selection.has(name),
        });
      }
      for (const name of [...selection]) {
        if (!graph.datasets.some((d) => isRefreshable(d.type) && d.name === name)) selection.delete(name);
      }
      view.setData(graph);
      drawSelectionTools();
      const nameList = graph.datasets.map((d) => d.name).join('\n');
      if (names.dataset.list !== nameList) {
        names.dataset.list = nameList;
        replace(names, graph.datasets.map((d) => h('option', { value: d.name })));
      }
      if (search.value.trim()) view.highlight(search.value);
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(message, errorBox(e));
    }
  }

  load();
  return {
    title: 'Graph',
    reload: load,
    destroy: () => {
      clearTimeout(confirmTimer);
      if (view) view.destroy();
    },
  };
}
