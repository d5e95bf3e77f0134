// Minimap of the graph view: every node as a rectangle coloured by state, and the part
// of the graph in view; a click or drag on it centres the view there. A pointer
// convenience (aria-hidden): keyboard users move between nodes with the arrow keys.
//
// Shown only while part of the graph is out of view. data-testid="graph-minimap".

import { s } from './dom.js';
import { stateClass } from './format.js';

export class Minimap {
  // onCenter(x, y): centre the view on this graph point.
  constructor(container, onCenter) {
    this.nodes = s('g');
    this.view = s('rect', { class: 'mini-view' });
    this.el = s('svg', {
      class: 'minimap hidden', 'data-testid': 'graph-minimap', 'aria-hidden': 'true', preserveAspectRatio: 'xMidYMid meet',
    }, this.nodes, this.view);
    this.rects = new Map();
    container.appendChild(this.el);

    let down = false;
    const move = (e) => {
      const m = this.el.getScreenCTM();
      if (!m) return;
      const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
      onCenter(pt.x, pt.y);
    };
    this.el.addEventListener('pointerdown', (e) => {
      down = true;
      this.el.setPointerCapture(e.pointerId);
      move(e);
    });
    this.el.addEventListener('pointermove', (e) => down && move(e));
    this.el.addEventListener('pointerup', () => { down = false; });
    this.el.addEventListener('wheel', (e) => e.preventDefault(), { passive: false });
  }

  reset(size) {
    this.size = size;
    this.rects.clear();
    this.nodes.replaceChildren();
    this.el.setAttribute('viewBox', `0 0 ${size.w} ${size.h}`);
  }

  // A node's box (graph coordinates of its top-left corner) in its state's colour.
  setNode(name, state, x, y, w, h) {
    const r = s('rect', { class: `mini-node state-${stateClass(state)}`, x, y, width: w, height: h, rx: 10 });
    const old = this.rects.get(name);
    if (old) old.replaceWith(r); else this.nodes.appendChild(r);
    this.rects.set(name, r);
  }

  // The view transform (translate x, y, scale k) over a view of w x h pixels.
  setView({ x, y, k }, w, h) {
    if (!this.size) return;
    const vx = -x / k;
    const vy = -y / k;
    this.view.setAttribute('x', vx);
    this.view.setAttribute('y', vy);
    this.view.setAttribute('width', w / k);
    this.view.setAttribute('height', h / k);
    const all = vx <= 1 && vy <= 1 && vx + w / k >= this.size.w - 1 && vy + h / k >= this.size.h - 1;
    this.el.classList.toggle('hidden', all);
  }

  destroy() {
    this.el.remove();
  }
}
