// Shared page pieces: sections, tables, messages, toasts.

import { h } from './dom.js';

// A titled block of a page. `actions` go on the title's line, right aligned.
export function section(title, body, { id, testid, actions } = {}) {
  const headingId = id ? `${id}-title` : undefined;
  return h('section', { class: 'card', id, 'data-testid': testid, 'aria-labelledby': headingId },
    h('div', { class: 'card-head' }, h('h2', { id: headingId }, title), actions ? h('div', { class: 'card-actions' }, actions) : null),
    body);
}

// columns: [{label, num: right-aligned numbers, cls, title}], rows: <tr> elements.
export function table(columns, rows, { testid, caption, empty = 'Nothing to show.', cls = '' } = {}) {
  const head = h('thead', null, h('tr', null, columns.map((c) =>
    h('th', { scope: 'col', class: [c.num ? 'num' : '', c.cls || ''].join(' ').trim() || undefined, title: c.title }, c.label))));
  const body = h('tbody', null, rows);
  if (!rows.length) {
    body.appendChild(h('tr', { class: 'empty-row' }, h('td', { colspan: columns.length, class: 'muted' }, empty)));
  }
  return h('div', { class: 'table-wrap' },
    h('table', { class: `data ${cls}`.trim(), 'data-testid': testid },
      caption ? h('caption', { class: 'sr-only' }, caption) : null, head, body));
}

export function td(content, { num, cls, testid, title, attrs } = {}) {
  return h('td', {
    class: [num ? 'num' : '', cls || ''].join(' ').trim() || undefined, 'data-testid': testid, title, ...(attrs || {}),
  }, content);
}

export function errorBox(err, testid = 'page-error') {
  const msg = err && err.message ? err.message : String(err);
  return h('div', { class: 'error-box', role: 'alert', 'data-testid': testid }, msg);
}

export function notice(text) {
  return h('p', { class: 'notice muted' }, text);
}

export function loading() {
  return h('div', { class: 'loading', role: 'status', 'aria-live': 'polite' }, 'Loading…');
}

// Pretty-printed JSON in a <pre>, as text.
export function jsonPre(value, testid) {
  return h('pre', { class: 'json', 'data-testid': testid }, JSON.stringify(value, null, 2));
}

// A definition list from [label, content] pairs; pairs with empty content are left out.
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

// A transient message at the bottom right. Errors stay until dismissed and are announced
// (role=alert); others fade after a few seconds.
export function toast(message, kind = 'info') {
  const region = document.getElementById('toasts');
  if (!region) return;
  const close = h('button', { class: 'toast-close', type: 'button', 'aria-label': 'Dismiss message' }, '×');
  const el = h('div', {
    class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status',
    'data-testid': kind === 'error' ? 'action-error' : 'toast',
  }, h('span', null, message), close);
  close.addEventListener('click', () => el.remove());
  region.appendChild(el);
  if (kind !== 'error') setTimeout(() => el.remove(), 4000);
}
