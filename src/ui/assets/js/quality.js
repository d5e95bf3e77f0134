// Data quality page: #/p/<id>/quality[?last=N&dataset=NAME]. For each dataset and
// expectation, a uPlot chart of passed / failed / dropped records over the last N updates
// that checked it (x: the updates in time order; passed on the left axis, failed and
// dropped on the right one, since they are usually far fewer), and a table of the same
// numbers. A click on a chart point or a table row opens that update.

import { api } from './api.js';
import { activatable, h, replace } from './dom.js';
import { fmtInt, fmtPct, fmtShortTime, parseTime, shortId } from './format.js';
import { link, navigate, replaceQuery } from './router.js';
import { cssVar, onThemeChange } from './theme.js';
import { errorBox, notice, section, table, td } from './widgets.js';

const LASTS = ['10', '20', '50', '100'];
// Counts are whole numbers: ticks at 1, 2, 5, 10, 20, 50...
const INCRS = Array.from({ length: 30 }, (_, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));
const FIELDS = [['passed_records', 'Passed'], ['failed_records', 'Failed'], ['dropped_records', 'Dropped']];

function chronological(updates) {
  return [...updates].sort((a, b) => (parseTime(a.start) ?? 0) - (parseTime(b.start) ?? 0));
}

function qualityTable(p, exp, ups) {
  const rows = [...ups].reverse().map((u) => {
    const total = (u.passed_records || 0) + (u.failed_records || 0);
    const cell = (field) => td(fmtInt(u[field]), {
      num: true, testid: 'quality-cell', attrs: { 'data-field': field, 'data-update-id': u.update_id, 'data-value': u[field] ?? '' },
    });
    const tr = h('tr', { 'data-testid': 'quality-row', 'data-update-id': u.update_id },
      td(h('a', { href: link.update(p, u.update_id), title: `Update ${u.update_id}` },
        h('time', { datetime: u.start, title: `${u.start} (UTC)` }, fmtShortTime(u.start)))),
      cell('passed_records'), cell('failed_records'), cell('dropped_records'),
      td(total ? fmtPct((u.failed_records || 0) / total) : '—', { num: true }));
    return activatable(tr, () => navigate(link.update(p, u.update_id)), `Open update ${shortId(u.update_id)}`);
  });
  return table([{ label: 'Update' }, ...FIELDS.map(([, l]) => ({ label: l, num: true })), { label: 'Failed %', num: true }],
    rows, { testid: 'quality-table', caption: `${exp.dataset}.${exp.name} per update` });
}

function makeChart(p, el, exp, ups) {
  const xs = ups.map((_, i) => i);
  const label = (i) => (ups[i] ? fmtShortTime(ups[i].start) : '');
  const drop = String(exp.action || '').toLowerCase() === 'drop';
  const ok = cssVar('--ok');
  const fail = cssVar('--fail');
  const warn = cssVar('--warn');
  const muted = cssVar('--muted');
  const grid = cssVar('--grid');
  const axis = (scale, side, stroke) => ({
    scale, side, stroke, size: 64,
    grid: { stroke: grid, width: 1, show: side === 3 },
    ticks: { stroke: grid, width: 1 },
    incrs: INCRS,
    values: (u, splits) => splits.map((v) => fmtInt(v)),
  });
  const opts = {
    width: Math.max(280, el.clientWidth),
    height: 220,
    cursor: { drag: { x: false, y: false }, points: { size: 8 } },
    scales: { x: { time: false, range: (u, min, max) => [min - 0.5, max + 0.5] }, n: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] }, bad: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      {
        stroke: muted, grid: { show: false }, ticks: { stroke: grid, width: 1 }, space: 90, incrs: [1, 2, 5, 10, 20, 50],
        values: (u, splits) => splits.map((i) => (Number.isInteger(i) ? label(i) : '')),
      },
      axis('n', 3, ok),
      axis('bad', 1, fail),
    ],
    series: [
      { label: 'Update', value: (u, i) => (i === null || !ups[i] ? '—' : `${label(i)} · ${shortId(ups[i].update_id)}`) },
      { label: 'Passed', scale: 'n', stroke: ok, width: 2, points: { show: true, size: 6 }, value: (u, v) => fmtInt(v) },
      // Only a drop rule drops (docs/ui.md: 0 for the others). Drawn first and wide, so the
      // failed line, equal to it, stays visible on top.
      drop ? { label: 'Dropped', scale: 'bad', stroke: warn, width: 6, alpha: 0.45, points: { show: false }, value: (u, v) => fmtInt(v) } : null,
      { label: 'Failed', scale: 'bad', stroke: fail, width: 2, points: { show: true, size: 6 }, value: (u, v) => fmtInt(v) },
    ].filter(Boolean),
  };
  const column = (f) => ups.map((u) => (typeof u[f] === 'number' ? u[f] : null));
  const data = [xs, column('passed_records'), drop ? column('dropped_records') : null, column('failed_records')].filter(Boolean);
  const chart = new uPlot(opts, data, el);
  chart.over.addEventListener('click', () => {
    const i = chart.cursor.idx;
    if (i !== null && i !== undefined && ups[i]) navigate(link.update(p, ups[i].update_id));
  });
  chart.over.style.cursor = 'pointer';
  return chart;
}

export function mount(root, ctx) {
  const p = ctx.pipeline.id;
  let last = ctx.query.get('last') || '20';
  let dataset = ctx.query.get('dataset') || '';
  let charts = [];
  let data = null;
  const lastSelect = h('select', { id: 'quality-last', 'data-testid': 'quality-last-select' },
    LASTS.map((n) => h('option', { value: n }, `last ${n} updates`)));
  lastSelect.value = LASTS.includes(last) ? last : '20';
  const dsSelect = h('select', { id: 'quality-dataset', 'data-testid': 'quality-dataset-select' });
  const body = h('div', { class: 'quality-body' });
  replace(root, h('div', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', null, 'Data quality'), h('span', { class: 'spacer' }),
      h('label', { class: 'field' }, h('span', null, 'Dataset'), dsSelect),
      h('label', { class: 'field' }, h('span', null, 'Range'), lastSelect)),
    body));

  lastSelect.addEventListener('change', () => {
    last = lastSelect.value;
    replaceQuery({ last: last === '20' ? '' : last, dataset });
    load();
  });
  dsSelect.addEventListener('change', () => {
    dataset = dsSelect.value;
    replaceQuery({ last: last === '20' ? '' : last, dataset });
    draw();
  });

  function destroyCharts() {
    for (const c of charts) c.destroy();
    charts = [];
  }

  function draw() {
    destroyCharts();
    const exps = data.expectations || [];
    const datasets = [...new Set(exps.map((e) => e.dataset))];
    replace(dsSelect, h('option', { value: '' }, 'All datasets'), datasets.map((d) => h('option', { value: d }, d)));
    dsSelect.value = datasets.includes(dataset) ? dataset : '';
    if (!exps.length) {
      replace(body, notice('No expectation has checked records yet. Expectations with warn or drop actions report their counts here after an update.'));
      return;
    }
    const noCharts = typeof uPlot === 'undefined';
    const groups = datasets.filter((d) => !dsSelect.value || d === dsSelect.value).map((d) => {
      const cards = exps.filter((e) => e.dataset === d).map((exp) => {
        const ups = chronological(exp.updates || []);
        const latest = ups[ups.length - 1];
        const total = latest ? (latest.passed_records || 0) + (latest.failed_records || 0) : 0;
        const chartEl = h('div', {
          class: 'quality-chart', 'data-testid': 'quality-chart', 'data-dataset': exp.dataset, 'data-expectation': exp.name,
          role: 'img', 'aria-label': `Passed, failed and dropped records of ${exp.name} over ${ups.length} updates; the same numbers are in the table beside it.`,
        });
        const card = section([exp.name, ' ', h('span', { class: `badge action action-${(exp.action || '').toLowerCase()}` }, (exp.action || '').toLowerCase())],
          h('div', { class: 'quality-grid' }, chartEl, qualityTable(p, exp, ups)),
          {
            testid: 'quality-expectation',
            actions: latest ? h('span', { class: latest.failed_records ? 'fail-text' : 'muted' },
              `latest: ${fmtInt(latest.failed_records)} failed of ${fmtInt(total)}${total ? ` (${fmtPct((latest.failed_records || 0) / total)})` : ''}`) : null,
          });
        card.dataset.dataset = exp.dataset;
        card.dataset.expectation = exp.name;
        return { card, chartEl, exp, ups };
      });
      return { d, cards };
    });
    replace(body, noCharts ? errorBox(new Error('The chart library (/vendor/uPlot.iife.min.js) is missing: run scripts/setup.sh. The numbers are in the tables.')) : null,
      groups.map(({ d, cards }) => h('div', { class: 'quality-group' },
        h('h2', { class: 'group-title' }, h('a', { href: link.dataset(p, d) }, d)), cards.map((c) => c.card))));
    if (noCharts) return;
    for (const { chartEl, exp, ups } of groups.flatMap((g) => g.cards)) charts.push(makeChart(p, chartEl, exp, ups));
  }

  // Charts follow their container's width.
  const resize = new ResizeObserver(() => {
    for (const c of charts) {
      const w = Math.max(280, c.root.parentElement.clientWidth);
      if (Math.abs(w - c.width) > 1) c.setSize({ width: w, height: 220 });
    }
  });
  resize.observe(body);
  const offTheme = onThemeChange(() => data && draw());

  async function load() {
    try {
      data = await api.quality(p, last, ctx.signal);
      // Keep the scroll position across a live reload.
      const y = window.scrollY;
      draw();
      window.scrollTo(0, y);
    } catch (e) {
      if (e.name !== 'AbortError') replace(body, errorBox(e));
    }
  }
  load();
  return {
    title: 'Data quality',
    reload: load,
    destroy: () => {
      resize.disconnect();
      offTheme();
      destroyCharts();
    },
  };
}
