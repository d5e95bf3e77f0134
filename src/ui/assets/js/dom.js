// DOM builders.
//
// Contract: text from the API only ever reaches the page as a text node or an attribute
// value (createTextNode, setAttribute, textContent), never through innerHTML, so a dataset
// name, an error message or a row value cannot inject markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

// Properties set as DOM properties rather than attributes (their attribute is only the
// initial value).
const PROPS = new Set(['value', 'checked', 'selected', 'indeterminate']);

function build(el, attrs, children) {
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2).toLowerCase(), v);
      } else if (k === 'style' && typeof v === 'object') {
        for (const [p, pv] of Object.entries(v)) el.style.setProperty(p, String(pv));
      } else if (PROPS.has(k)) {
        el[k] = v;
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    }
  }
  append(el, children);
  return el;
}

// Appends children: nodes as they are, strings and numbers as text, arrays flattened,
// null/undefined/false skipped.
export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

// h('button', {class: 'btn', onclick: f, 'data-testid': 'x'}, 'Label')
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

// The same in the SVG namespace.
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Replaces the content of `el` in one step (no empty frame between old and new content,
// so the page does not jump while it reloads).
export function replace(el, ...children) {
  const frag = document.createDocumentFragment();
  append(frag, children);
  el.replaceChildren(frag);
  return el;
}

// Makes a non-button element (table row, SVG group) act like a link: focusable, opened by
// click, Enter or Space. Clicks on inner links, buttons and inputs keep their own meaning.
// `hint` becomes the title (a tooltip), not an aria-label, so a table row's cells are still
// read out.
export function activatable(el, onActivate, hint) {
  el.tabIndex = 0;
  if (hint) el.title = hint;
  el.classList.add('activatable');
  el.addEventListener('click', (e) => {
    if (e.target.closest('a, button, input, select, textarea, summary, [data-no-activate]')) return;
    onActivate(e);
  });
  el.addEventListener('keydown', (e) => {
    if (e.target !== el) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onActivate(e);
    }
  });
  return el;
}
