// The dataflow graph as SVG: dagre layout (left to right), zoom with the wheel, pan by
// dragging, keyboard moves between nodes, search highlight.
//
// Node contract (browser tests rely on it): <g data-testid="graph-node" data-name
// data-state data-type data-selected role="link" tabindex="0" aria-label>; the selection
// box of a refreshable node is <g data-testid="node-select" data-name role="checkbox">;
// edges are <path data-testid="graph-edge" data-from data-to>.

import { s } from './dom.js';
import { fmtInt, stateClass, stateLabel, typeLabel } from './format.js';
import { Minimap } from './graph-minimap.js';

const W = 230;        // node width
const H = 66;         // node height
const MIN_K = 0.05;
const MAX_K = 3;
const FAR_K = 0.55;   // below this scale only names are drawn, larger
const READABLE_K = 0.6; // the smallest scale at which node text reads well

// Datasets a full refresh can select (docs/ui.md: `full_refresh` names tables).
export function isRefreshable(type) {
  return type === 'STREAMING_TABLE' || type === 'MATERIALIZED_VIEW';
}

// Shortens a name to n characters; paths (external sources) keep their end.
function truncate(name, n) {
  if (name.length <= n) return name;
  if (name.includes('/')) return `…${name.slice(name.length - n + 1)}`;
  return `${name.slice(0, n - 1)}…`;
}

// d3's curveBasis through dagre's edge points.
function basisPath(pts) {
  if (pts.length < 3) return `M${pts[0].x},${pts[0].y}L${pts[pts.length - 1].x},${pts[pts.length - 1].y}`;
  let d = `M${pts[0].x},${pts[0].y}`;
  let [x0, y0, x1, y1] = [pts[0].x, pts[0].y, pts[0].x, pts[0].y];
  const bez = (x, y) => {
    d += `C${(2 * x0 + x1) / 3},${(2 * y0 + y1) / 3},${(x0 + 2 * x1) / 3},${(y0 + 2 * y1) / 3},${(x0 + 4 * x1 + x) / 6},${(y0 + 4 * y1 + y) / 6}`;
  };
  for (let i = 1; i < pts.length; i++) {
    const { x, y } = pts[i];
    if (i === 2) d += `L${(5 * x0 + x1) / 6},${(5 * y0 + y1) / 6}`;
    if (i >= 2) bez(x, y);
    [x0, y0, x1, y1] = [x1, y1, x, y];
  }
  bez(x1, y1);
  d += `L${x1},${y1}`;
  return d;
}

function describe(ds) {
  const parts = [ds.name, typeLabel(ds.type), stateLabel(ds.state)];
  if (typeof ds.output_rows === 'number') parts.push(`${fmtInt(ds.output_rows)} output rows`);
  if (ds.failed_expectations > 0) parts.push(`${fmtInt(ds.failed_expectations)} expectations with failed records`);
  return parts.join(', ');
}

export class GraphView {
  // opts: {onOpen(name), onToggle(name), isSelected(name)}
  constructor(container, opts) {
    this.container = container;
    this.opts = opts;
    this.t = { x: 0, y: 0, k: 1 };
    this.nodes = new Map();   // name -> {ds, x, y, el}
    this.edges = [];          // {from, to, el}
    this.structure = '';
    this.matches = [];
    this.matchIndex = -1;

    this.svg = s('svg', {
      class: 'graph-svg', 'data-testid': 'graph-svg', role: 'group',
      'aria-label': 'Dataflow graph. Arrow keys move between datasets, Enter opens one.',
    });
    const defs = s('defs', null,
      s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' },
        s('path', { d: 'M0,0L10,5L0,10z', class: 'arrow-head' })),
      s('marker', { id: 'arrow-hl', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' },
        s('path', { d: 'M0,0L10,5L0,10z', class: 'arrow-head hl' })));
    this.viewport = s('g', { class: 'viewport' });
    this.edgeLayer = s('g', { class: 'edges' });
    this.nodeLayer = s('g', { class: 'nodes' });
    this.viewport.append(this.edgeLayer, this.nodeLayer);
    this.svg.append(defs, this.viewport);
    container.appendChild(this.svg);
    this.minimap = new Minimap(container, (x, y) => {
      const { w, h } = this.viewSize();
      this.t = { ...this.t, x: w / 2 - x * this.t.k, y: h / 2 - y * this.t.k };
      this.apply();
    });
    this.bindPointer();
    this.resizeObserver = new ResizeObserver(() => this.onResize());
    this.resizeObserver.observe(container);
  }

  destroy() {
    this.resizeObserver.disconnect();
    this.svg.remove();
    this.minimap.destroy();
  }

  // graph: the /graph answer. Re-lays out only when datasets or edges changed, so a live
  // reload recolours nodes without moving them or the view.
  setData(graph) {
    const datasets = [...graph.datasets];
    const names = new Set(datasets.map((d) => d.name));
    for (const e of graph.edges) {
      for (const n of [e.from, e.to]) {
        if (!names.has(n)) {
          names.add(n);
          datasets.push({ name: n, type: 'EXTERNAL', state: null });
        }
      }
    }
    const structure = JSON.stringify([datasets.map((d) => d.name), graph.edges.map((e) => [e.from, e.to])]);
    if (structure === this.structure) {
      for (const ds of datasets) this.redrawNode(ds);
      return false;
    }
    this.structure = structure;
    this.layout(datasets, graph.edges);
    return true;
  }

  layout(datasets, edges) {
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 80, edgesep: 8, marginx: 24, marginy: 24 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const ds of datasets) g.setNode(ds.name, { width: W, height: H });
    for (const e of edges) if (e.from !== e.to) g.setEdge(e.from, e.to);
    dagre.layout(g);
    const info = g.graph();
    this.size = { w: info.width || 0, h: info.height || 0 };

    this.nodes.clear();
    this.edges = [];
    this.minimap.reset(this.size);
    this.nodeLayer.replaceChildren();
    this.edgeLayer.replaceChildren();
    this.up = new Map();
    this.down = new Map();
    for (const ds of datasets) {
      const n = g.node(ds.name);
      this.nodes.set(ds.name, { ds, x: n.x, y: n.y, el: null });
      this.up.set(ds.name, []);
      this.down.set(ds.name, []);
    }
    for (const e of g.edges()) {
      const pts = g.edge(e).points;
      const el = s('path', {
        class: 'edge', d: basisPath(pts), 'marker-end': 'url(#arrow)', 'data-testid': 'graph-edge',
        'data-from': e.v, 'data-to': e.w,
      });
      this.edges.push({ from: e.v, to: e.w, el });
      this.edgeLayer.appendChild(el);
      this.down.get(e.v).push(e.w);
      this.up.get(e.w).push(e.v);
    }
    for (const ds of datasets) this.redrawNode(ds);
    if (!this.placed) this.tryInitialView();
    this.apply();
  }

  // The first layout gets its initial view once the container has a size.
  tryInitialView() {
    if (this.placed || !this.size || !this.container.clientWidth) return;
    this.placed = true;
    this.initialView();
  }

  redrawNode(ds) {
    const node = this.nodes.get(ds.name);
    if (!node) return;
    node.ds = ds;
    const el = this.nodeEl(ds, node.x - W / 2, node.y - H / 2);
    this.minimap.setNode(ds.name, ds.state, node.x - W / 2, node.y - H / 2, W, H);
    const active = document.activeElement;
    const hadFocus = node.el && node.el.contains(active);
    const checkFocused = hadFocus && active.classList.contains('node-check');
    if (node.el) node.el.replaceWith(el);
    else this.nodeLayer.appendChild(el);
    node.el = el;
    if (this.query) this.markMatch(node);
    if (hadFocus) (checkFocused ? el.querySelector('.node-check') || el : el).focus({ preventScroll: true });
  }

  nodeEl(ds, x, y) {
    const cls = stateClass(ds.state);
    const selectable = isRefreshable(ds.type);
    const selected = selectable && this.opts.isSelected(ds.name);
    const rows = typeof ds.output_rows === 'number' ? `${fmtInt(ds.output_rows)} rows` : '';
    const warn = ds.failed_expectations > 0;
    const g = s('g', {
      class: `node state-${cls}${selected ? ' selected' : ''}`, transform: `translate(${x},${y})`,
      'data-testid': 'graph-node', 'data-name': ds.name, 'data-state': ds.state || 'NONE',
      'data-type': ds.type || '', 'data-selected': selectable ? String(selected) : null,
      'data-failed-expectations': ds.failed_expectations || 0,
      role: 'link', tabindex: 0, 'aria-label': describe(ds),
    });
    const tip = [ds.name, `${typeLabel(ds.type)} · ${stateLabel(ds.state)}`];
    if (rows) tip.push(`${rows} written`);
    if (ds.dropped_records > 0) tip.push(`${fmtInt(ds.dropped_records)} records dropped`);
    if (warn) tip.push(`⚠ ${fmtInt(ds.failed_expectations)} expectations with failed records`);
    if (ds.error) tip.push(`Error: ${typeof ds.error === 'string' ? ds.error : JSON.stringify(ds.error)}`);
    if (ds.file) tip.push(`${ds.file}${ds.line ? `:${ds.line}` : ''}`);
    g.append(
      s('title', null, tip.join('\n')),
      s('rect', { class: 'node-box', width: W, height: H, rx: 7 }),
      s('rect', { class: 'node-stripe', width: 6, height: H, rx: 3 }),
      s('text', { class: 'node-name', x: 16, y: 22 }, truncate(ds.name, selectable ? 24 : 27)),
      s('text', { class: 'node-name-far', x: 16, y: 42 }, truncate(ds.name, 15)),
      s('text', { class: 'node-type', x: 16, y: 40 }, typeLabel(ds.type)),
      s('text', { class: 'node-state', x: 16, y: 57 }, stateLabel(ds.state)),
      s('text', { class: 'node-rows', x: W - 10, y: 57, 'text-anchor': 'end' }, rows),
    );
    if (warn) {
      g.appendChild(s('text', { class: 'node-warn', x: W - 10, y: 40, 'text-anchor': 'end', 'data-testid': 'node-warning' },
        `⚠ ${fmtInt(ds.failed_expectations)}`));
    }
    if (selectable) {
      const box = s('g', {
        class: 'node-check', transform: `translate(${W - 26},7)`, role: 'checkbox', tabindex: 0,
        'aria-checked': String(selected), 'aria-label': `Select ${ds.name} for full refresh`,
        'data-testid': 'node-select', 'data-name': ds.name, 'data-no-activate': '',
      }, s('rect', { width: 16, height: 16, rx: 3 }), s('path', { d: 'M3.5,8.5L7,12L12.5,4.5', class: 'tick' }));
      const toggle = (e) => {
        e.preventDefault();
        e.stopPropagation();
        this.opts.onToggle(ds.name);
      };
      box.addEventListener('click', toggle);
      box.addEventListener('keydown', (e) => {
        if (e.key === ' ' || e.key === 'Enter') toggle(e);
      });
      g.appendChild(box);
    }
    g.addEventListener('click', (e) => {
      if (this.dragged || e.target.closest('.node-check')) return;
      this.opts.onOpen(ds.name);
    });
    g.addEventListener('keydown', (e) => this.onNodeKey(e, ds.name));
    g.addEventListener('pointerenter', () => this.emphasize(ds.name));
    g.addEventListener('pointerleave', () => this.emphasize(null));
    g.addEventListener('focus', () => {
      // The browser may scroll the clipped container to a focused node; the view pans
      // instead (only for keyboard focus: a click must not move what is under the mouse).
      this.container.scrollTop = 0;
      this.container.scrollLeft = 0;
      if (g.matches(':focus-visible')) this.ensureVisible(ds.name);
      this.emphasize(ds.name);
    });
    g.addEventListener('blur', () => this.emphasize(null));
    return g;
  }

  // Highlights the edges of one node (null: none).
  emphasize(name) {
    this.svg.classList.toggle('focus-mode', !!name);
    for (const e of this.edges) {
      const on = !!name && (e.from === name || e.to === name);
      e.el.classList.toggle('hl', on);
      e.el.setAttribute('marker-end', on ? 'url(#arrow-hl)' : 'url(#arrow)');
      if (on) this.edgeLayer.appendChild(e.el);
    }
  }

  onNodeKey(e, name) {
    if (e.target.closest('.node-check')) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.opts.onOpen(name);
      return;
    }
    const here = this.nodes.get(name);
    let candidates = null;
    if (e.key === 'ArrowRight') candidates = this.down.get(name);
    else if (e.key === 'ArrowLeft') candidates = this.up.get(name);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      const sign = e.key === 'ArrowUp' ? -1 : 1;
      candidates = [...this.nodes.keys()].filter((n) => {
        const o = this.nodes.get(n);
        return Math.abs(o.x - here.x) < 1 && (o.y - here.y) * sign > 0;
      });
    } else return;
    e.preventDefault();
    let best = null;
    let bestD = Infinity;
    for (const c of candidates || []) {
      const o = this.nodes.get(c);
      const d = Math.abs(o.y - here.y) + Math.abs(o.x - here.x) / 10;
      if (d < bestD) { best = c; bestD = d; }
    }
    if (best) this.focusNode(best);
  }

  focusNode(name) {
    const n = this.nodes.get(name);
    if (!n) return;
    this.ensureVisible(name);
    n.el.focus({ preventScroll: true });
  }

  // ---- view transform ----

  apply() {
    const { x, y, k } = this.t;
    this.viewport.setAttribute('transform', `translate(${x},${y}) scale(${k})`);
    this.svg.classList.toggle('far', k < FAR_K);
    this.svg.dataset.scale = k.toFixed(3);
    const { w, h } = this.viewSize();
    this.minimap.setView(this.t, w, h);
  }

  viewSize() {
    return { w: this.container.clientWidth || 800, h: this.container.clientHeight || 500 };
  }

  // Whole graph in view (never enlarged past 1).
  fit() {
    const { w, h } = this.viewSize();
    if (!this.size || !this.size.w) return;
    const k = Math.max(MIN_K, Math.min(1, (w - 20) / this.size.w, (h - 20) / this.size.h));
    this.t = { k, x: (w - this.size.w * k) / 2, y: (h - this.size.h * k) / 2 };
    this.apply();
  }

  // First view: the whole graph when it is readable so. A large graph instead starts at a
  // readable scale on the window that shows the most datasets (the leftmost of equals, near
  // the sources); the minimap and search reach the rest.
  initialView() {
    const { w, h } = this.viewSize();
    if (!this.size || !this.size.w) return;
    const kFit = Math.min(1, (w - 20) / this.size.w, (h - 20) / this.size.h);
    if (kFit >= READABLE_K) {
      this.fit();
      return;
    }
    const k = READABLE_K;
    const vw = w / k;
    const vh = h / k;
    const nodes = [...this.nodes.values()];
    const xs = [...new Set(nodes.map((n) => Math.round(n.x - W / 2 - 16)))].sort((a, b) => a - b);
    const ys = [...new Set(nodes.map((n) => Math.round(n.y - H / 2 - 16)))].sort((a, b) => a - b);
    let best = { count: -1, x: 0, y: 0 };
    for (const x0 of xs) {
      const col = nodes.filter((n) => n.x - W / 2 >= x0 && n.x + W / 2 <= x0 + vw);
      if (col.length <= best.count) continue;
      for (const y0 of ys) {
        let count = 0;
        for (const n of col) if (n.y - H / 2 >= y0 && n.y + H / 2 <= y0 + vh) count++;
        if (count > best.count) best = { count, x: x0, y: y0 };
      }
    }
    this.t = { k, x: -best.x * k, y: -best.y * k };
    this.apply();
  }

  zoomAt(factor, px, py) {
    const k = Math.max(MIN_K, Math.min(MAX_K, this.t.k * factor));
    const r = k / this.t.k;
    this.t = { k, x: px - (px - this.t.x) * r, y: py - (py - this.t.y) * r };
    this.apply();
  }

  zoomBy(factor) {
    const { w, h } = this.viewSize();
    this.zoomAt(factor, w / 2, h / 2);
  }

  centerOn(name, minK = 1) {
    const n = this.nodes.get(name);
    if (!n) return;
    const { w, h } = this.viewSize();
    const k = Math.max(this.t.k, minK);
    this.t = { k, x: w / 2 - n.x * k, y: h / 2 - n.y * k };
    this.apply();
  }

  // Pans just enough to show a node (keyboard focus).
  ensureVisible(name) {
    const n = this.nodes.get(name);
    if (!n) return;
    const { w, h } = this.viewSize();
    const { k } = this.t;
    const left = (n.x - W / 2) * k + this.t.x;
    const right = (n.x + W / 2) * k + this.t.x;
    const top = (n.y - H / 2) * k + this.t.y;
    const bottom = (n.y + H / 2) * k + this.t.y;
    let dx = 0;
    let dy = 0;
    if (left < 10) dx = 10 - left; else if (right > w - 10) dx = w - 10 - right;
    if (top < 10) dy = 10 - top; else if (bottom > h - 10) dy = h - 10 - bottom;
    if (dx || dy) {
      this.t = { ...this.t, x: this.t.x + dx, y: this.t.y + dy };
      this.apply();
    }
  }

  onResize() {
    this.tryInitialView();
  }

  bindPointer() {
    const svg = this.svg;
    svg.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = svg.getBoundingClientRect();
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      this.zoomAt(Math.exp(-delta * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });

    let start = null;
    svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || e.target.closest('.node-check')) return;
      start = { x: e.clientX, y: e.clientY, tx: this.t.x, ty: this.t.y, id: e.pointerId };
      this.dragged = false;
    });
    svg.addEventListener('pointermove', (e) => {
      if (!start || e.pointerId !== start.id) return;
      const dx = e.clientX - start.x;
      const dy = e.clientY - start.y;
      if (!this.dragged && Math.hypot(dx, dy) < 4) return;
      if (!this.dragged) {
        this.dragged = true;
        svg.setPointerCapture(e.pointerId);
        svg.classList.add('dragging');
      }
      this.t = { ...this.t, x: start.tx + dx, y: start.ty + dy };
      this.apply();
    });
    const end = (e) => {
      if (!start || e.pointerId !== start.id) return;
      start = null;
      svg.classList.remove('dragging');
      // The click that ends a drag must not open a node.
      if (this.dragged) setTimeout(() => { this.dragged = false; }, 0);
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
  }

  // ---- search ----

  markMatch(node) {
    const on = !!this.query && node.ds.name.toLowerCase().includes(this.query);
    node.el.classList.toggle('match', on);
    node.el.classList.toggle('dim', !!this.query && !on);
    if (on) node.el.dataset.match = 'true';
    else delete node.el.dataset.match;
  }

  // Highlights nodes whose name contains `text` (case-insensitive); returns their names.
  highlight(text) {
    this.query = (text || '').trim().toLowerCase();
    this.matches = [];
    for (const node of this.nodes.values()) {
      this.markMatch(node);
      if (this.query && node.el.classList.contains('match')) this.matches.push(node.ds.name);
    }
    // An exact name first.
    this.matches.sort((a, b) => (b.toLowerCase() === this.query) - (a.toLowerCase() === this.query));
    this.matchIndex = -1;
    return this.matches;
  }

  // Centres the next match (Enter in the search box cycles through them).
  nextMatch() {
    if (!this.matches.length) return null;
    this.matchIndex = (this.matchIndex + 1) % this.matches.length;
    const name = this.matches[this.matchIndex];
    this.centerOn(name);
    for (const n of this.nodes.values()) n.el.classList.toggle('current', n.ds.name === name);
    return name;
  }
}
