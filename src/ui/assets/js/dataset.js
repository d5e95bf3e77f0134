// Dataset page: #/p/<id>/datasets/<name>[?version=N]. Definition, schema, properties,
// lineage, Delta history, a sample of rows at any version (time travel), checkpoints.
// External sources (named by their path) have no dataset record: their page shows what
// the graph knows of them.

import { api } from './api.js';
import { activatable, h, replace } from './dom.js';
import { cellText, fileLine, fmtInt, stateBadge, timeEl, typeBadge } from './format.js';
import { link, replaceQuery } from './router.js';
import { errorBox, facts, section, table, td } from './widgets.js';

function nameLinks(p, names, testid) {
  if (!names || !names.length) return h('p', { class: 'muted' }, 'None');
  return h('ul', { class: 'links' }, names.map((n) =>
    h('li', null, h('a', { href: link.dataset(p, n), 'data-testid': testid, 'data-name': n }, n))));
}

function metricsCell(metrics) {
  const entries = Object.entries(metrics || {});
  if (!entries.length) return h('span', { class: 'muted' }, '—');
  return h('ul', { class: 'metrics' }, entries.map(([k, v]) => {
    // Delta writes metrics as strings of digits; show them as numbers.
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? fmtInt(Number(v)) : cellText(v);
    return h('li', null, h('span', { class: 'muted' }, `${k} `), n);
  }));
}

// Where a flow's next batch starts, a line per source (per partition for Kafka).
function sourcesCell(sources) {
  if (!sources.length) return h('span', { class: 'muted' }, '—');
  return h('ul', { class: 'metrics', 'data-testid': 'checkpoint-sources' }, sources.map((s) => {
    const source = String(s.source || '').replace(/^(dataset|files):/, '');
    let at = '';
    if (s.type === 'kafka') at = `${s.topic}[${s.partition}] offset ${fmtInt(s.next_offset)}`;
    else if (s.type === 'delta') at = `${source} after version ${fmtInt(s.delta_version)}`;
    else if (s.type === 'files') at = `${source}: ${fmtInt(s.files)} files read`;
    else at = s.up_to == null ? source : `${source} after ${s.up_to}`;
    return h('li', { 'data-source-type': s.type }, at);
  }));
}

export function mount(root, ctx) {
  const p = ctx.pipeline.id;
  const name = ctx.args[0];
  let version = ctx.query.get('version') || '';
  const body = h('div', { class: 'stack' });
  replace(root, h('div', { class: 'page' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: link.graph(p) }, 'Graph'), ' / ', name),
    body));

  const versionSelect = h('select', { id: 'version-select', 'data-testid': 'version-select' });
  const rowsBox = h('div', { class: 'rows-box', 'data-testid': 'rows-box' });
  versionSelect.addEventListener('change', () => {
    version = versionSelect.value;
    replaceQuery({ version });
    loadRows();
  });

  async function loadRows() {
    rowsBox.setAttribute('aria-busy', 'true');
    try {
      const r = await api.rows(p, name, version || undefined, 100, ctx.signal);
      const numeric = (i) => (r.rows || []).some((row) => typeof row[i] === 'number')
        && (r.rows || []).every((row) => row[i] === null || typeof row[i] === 'number');
      const columns = (r.columns || []).map((c, i) => ({ label: c, num: numeric(i) }));
      const rows = (r.rows || []).map((row) => h('tr', { 'data-testid': 'rows-row' },
        row.map((v) => td(cellText(v), { cls: v === null || v === undefined ? 'null' : typeof v === 'number' ? 'num' : undefined }))));
      replace(rowsBox,
        h('p', { class: 'muted', 'data-testid': 'rows-info', 'data-version': r.version ?? '' },
          `${fmtInt(rows.length)} rows${typeof r.version === 'number' ? ` at version ${fmtInt(r.version)}` : ''}${rows.length >= 100 ? ' (first 100)' : ''}`),
        table(columns.length ? columns : [{ label: 'Rows' }], rows, { testid: 'rows-table', caption: `Rows of ${name}`, empty: 'The table is empty at this version.', cls: 'rows' }));
    } catch (e) {
      if (e.name !== 'AbortError') replace(rowsBox, errorBox(e, 'rows-error'));
    }
    rowsBox.removeAttribute('aria-busy');
  }

  function fillVersions(d) {
    const history = d.history || [];
    const versions = history.map((v) => v.version).sort((a, b) => b - a);
    replace(versionSelect,
      h('option', { value: '' }, typeof d.version === 'number' ? `latest (version ${d.version})` : 'latest'),
      versions.map((v) => h('option', { value: String(v) }, `version ${v}`)));
    if (version && !versions.includes(Number(version))) versionSelect.appendChild(h('option', { value: version }, `version ${version}`));
    versionSelect.value = version;
  }

  function showVersion(v) {
    version = String(v);
    versionSelect.value = version;
    replaceQuery({ version });
    loadRows();
    versionSelect.focus();
  }

  function render(d, fromGraph) {
    const isTable = d.history && d.history.length;
    const columns = d.columns || [];
    const props = Object.entries(d.properties || {});
    const parts = [
      h('header', { class: 'page-head' },
        h('h1', { 'data-testid': 'dataset-name' }, d.name),
        typeBadge(d.type, 'dataset-type'),
        fromGraph && fromGraph.state !== undefined && d.type !== 'EXTERNAL' ? stateBadge(fromGraph.state, 'dataset-state') : null),
      h('div', { class: 'grid-2' },
        section('Overview', facts([
          ['Type', d.type ? d.type.replaceAll('_', ' ').toLowerCase() : null],
          ['Comment', d.comment],
          ['Path', d.path ? h('span', { class: 'mono' }, d.path) : null],
          ['Defined in', d.file ? h('span', { class: 'mono', 'data-testid': 'dataset-source' }, fileLine(d.file, d.line)) : null],
          ['Version', typeof d.version === 'number' ? fmtInt(d.version) : null],
          ['Expectations', fromGraph && fromGraph.expectations && fromGraph.expectations.length
            ? h('ul', { class: 'plain' }, fromGraph.expectations.map((x) => h('li', { class: 'mono' }, x))) : null],
        ]), { id: 'overview' }),
        section('Lineage', h('div', { class: 'lineage' },
          h('div', null, h('h3', null, 'Upstream'), nameLinks(p, d.upstream, 'upstream-link')),
          h('div', null, h('h3', null, 'Downstream'), nameLinks(p, d.downstream, 'downstream-link'))), { id: 'lineage' })),
    ];
    if (d.source || d.definition) {
      // The definition as written in its file; for Python, also the query it runs as.
      const python = /\.py$/.test(d.file || '');
      parts.push(section('Definition', [
        d.file ? h('p', { class: 'mono muted' }, fileLine(d.file, d.line)) : null,
        h('pre', { class: 'code', 'data-testid': 'dataset-code' }, d.source || d.definition),
        python && d.source && d.definition ? h('details', { class: 'query-as-run' },
          h('summary', null, 'Query as run'),
          h('pre', { class: 'code', 'data-testid': 'dataset-definition' }, d.definition)) : null,
      ], { id: 'definition' }));
    }
    if (columns.length || props.length) {
      parts.push(h('div', { class: 'grid-2 wide-left' },
        section(`Columns (${fmtInt(columns.length)})`, table(
          [{ label: 'Name' }, { label: 'Type' }, { label: 'Nullable' }, { label: 'Comment' }],
          columns.map((c) => h('tr', { 'data-testid': 'column-row', 'data-name': c.name },
            td(c.name, { cls: 'mono' }), td(c.type, { cls: 'mono' }), td(c.nullable ? 'yes' : 'no'), td(c.comment || ''))),
          { testid: 'columns-table', caption: 'Columns', empty: 'No schema known.' }), { id: 'columns' }),
        section('Properties', table([{ label: 'Key' }, { label: 'Value' }],
          props.map(([k, v]) => h('tr', null, td(k, { cls: 'mono' }), td(cellText(v), { cls: 'mono' }))),
          { testid: 'properties-table', caption: 'Properties', empty: 'No properties.' }), { id: 'properties' })));
    }
    if (d.type !== 'EXTERNAL' && d.type !== 'SINK') {
      parts.push(section('Rows', rowsBox, {
        id: 'rows', actions: isTable ? h('label', { class: 'field' }, h('span', null, 'Version'), versionSelect) : null,
      }));
    }
    if (isTable) {
      const rows = [...d.history].sort((a, b) => b.version - a.version).map((v) => activatable(
        h('tr', { 'data-testid': 'history-row', 'data-version': v.version, class: String(v.version) === version ? 'current' : undefined },
          td(fmtInt(v.version), { num: true }), td(timeEl(v.timestamp)), td(v.operation || '—'), td(metricsCell(v.metrics))),
        () => showVersion(v.version), `Show the rows of version ${v.version}`));
      parts.push(section('History', table(
        [{ label: 'Version', num: true }, { label: 'Time' }, { label: 'Operation' }, { label: 'Metrics' }], rows,
        { testid: 'history-table', caption: 'Delta history' }), { id: 'history' }));
    }
    if (d.checkpoints && d.checkpoints.length) {
      parts.push(section('Checkpoints', table(
        [{ label: 'Flow' }, { label: 'Files', num: true }, { label: 'Watermark' },
          { label: 'Last batch', num: true }, { label: 'Next batch starts at' }],
        d.checkpoints.map((c) => h('tr', { 'data-testid': 'checkpoint-row', 'data-flow': c.flow },
          td(c.flow), td(fmtInt(c.files), { num: true }), td(c.watermark ? timeEl(c.watermark) : '—'),
          td(c.batch_id == null ? '—' : fmtInt(c.batch_id), { num: true }),
          td(sourcesCell(c.sources || [])))),
        { testid: 'checkpoints-table', caption: 'Checkpoints' }), { id: 'checkpoints' }));
    }
    replace(body, parts);
  }

  async function load() {
    let graph = null;
    try {
      graph = await api.graph(p, undefined, ctx.signal).catch((e) => (e.name === 'AbortError' ? Promise.reject(e) : null));
      const g = graph && graph.datasets.find((x) => x.name === name);
      let d;
      try {
        // An external source has no dataset record: the graph tells all there is.
        if (g && g.type === 'EXTERNAL') throw Object.assign(new Error('external'), { status: 404 });
        d = await api.dataset(p, name, ctx.signal);
      } catch (e) {
        // An external source, or a name the graph has but the dataset API does not.
        if (e.status !== 404 || !graph || !(g || graph.edges.some((x) => x.from === name || x.to === name))) throw e;
        d = {
          name, type: g ? g.type : 'EXTERNAL', path: g && g.path, file: g && g.file, line: g && g.line,
          upstream: graph.edges.filter((x) => x.to === name).map((x) => x.from),
          downstream: graph.edges.filter((x) => x.from === name).map((x) => x.to),
        };
      }
      fillVersions(d);
      render(d, g);
      if (d.type !== 'EXTERNAL' && d.type !== 'SINK') await loadRows();
    } catch (e) {
      if (e.name !== 'AbortError') replace(body, errorBox(e));
    }
  }
  load();
  return { title: name, reload: load };
}
