// Formatting of numbers, durations, times and states, in the user's locale.
// API times are UTC text ("2024-01-01T10:00:00.000Z"); they are shown in local time with
// the UTC text as the element's title.

import { h } from './dom.js';

const intFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const pctFmt = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const timeFmt = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});
const shortTimeFmt = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  hour12: false,
});

export const DASH = '—';

export function isNum(n) {
  return typeof n === 'number' && Number.isFinite(n);
}

// 1234567 -> "1,234,567" (locale separators); null -> "—".
export function fmtInt(n) {
  return isNum(n) ? intFmt.format(n) : DASH;
}

export function fmtPct(x) {
  return isNum(x) ? pctFmt.format(x) : DASH;
}

// Seconds -> "350 ms", "1.2 s", "3 min 4 s", "2 h 5 min".
export function fmtDuration(sec) {
  if (!isNum(sec)) return DASH;
  if (sec < 1) return `${intFmt.format(Math.round(sec * 1000))} ms`;
  if (sec < 60) return `${decFmt.format(Math.round(sec * 10) / 10)} s`;
  const total = Math.round(sec);
  if (total < 3600) {
    const m = Math.floor(total / 60), s = total % 60;
    return s ? `${m} min ${s} s` : `${m} min`;
  }
  const hh = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60);
  return m ? `${intFmt.format(hh)} h ${m} min` : `${intFmt.format(hh)} h`;
}

export function parseTime(iso) {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

export function fmtTime(iso) {
  const t = parseTime(iso);
  return t === null ? DASH : timeFmt.format(t);
}

export function fmtShortTime(iso) {
  const t = parseTime(iso);
  return t === null ? DASH : shortTimeFmt.format(t);
}

// <time> in local time, the UTC text on hover.
export function timeEl(iso, short = false) {
  if (!iso) return h('span', { class: 'muted' }, DASH);
  return h('time', { datetime: iso, title: `${iso} (UTC)` }, short ? fmtShortTime(iso) : fmtTime(iso));
}

// Colour class of a flow, dataset or update state.
export function stateClass(state) {
  switch (state) {
    case 'COMPLETED': return 'ok';
    case 'FAILED': return 'fail';
    case 'RUNNING': case 'STARTING': case 'QUEUED':
    case 'INITIALIZING': case 'SETTING_UP_TABLES': case 'WAITING_FOR_RESOURCES':
      return 'run';
    case 'SKIPPED': case 'EXCLUDED': case 'IDLE': case 'CANCELED': case 'STOPPING':
      return 'skip';
    default: return 'none';
  }
}

export function stateLabel(state) {
  return state ? state.replaceAll('_', ' ').toLowerCase() : 'not run';
}

export function stateBadge(state, testid) {
  return h('span', {
    class: `badge state-${stateClass(state)}`, 'data-state': state || 'NONE', 'data-testid': testid,
  }, stateLabel(state));
}

const TYPES = {
  STREAMING_TABLE: ['streaming table', 'ST'],
  MATERIALIZED_VIEW: ['materialized view', 'MV'],
  VIEW: ['view', 'V'],
  TEMPORARY_VIEW: ['temporary view', 'TV'],
  SINK: ['sink', 'SINK'],
  EXTERNAL: ['external', 'EXT'],
};

export function typeLabel(type) {
  return (TYPES[type] || [type ? type.toLowerCase().replaceAll('_', ' ') : 'dataset'])[0];
}

export function typeBadge(type, testid) {
  return h('span', { class: `badge type type-${(type || 'unknown').toLowerCase()}`, 'data-testid': testid }, typeLabel(type));
}

// Update ids are UUIDs; the first 8 characters tell them apart on one page.
export function shortId(id) {
  return id ? String(id).slice(0, 8) : DASH;
}

export function fileLine(file, line) {
  if (!file) return '';
  return isNum(line) ? `${file}:${line}` : file;
}

// A cell value of a rows sample, as text: values as the table holds them (no thousands
// separators: an id or a year is not a quantity), structs and arrays as JSON.
export function cellText(v) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// Pluralized count: plural(3, 'row') -> "3 rows".
export function plural(n, word, many = `${word}s`) {
  return `${fmtInt(n)} ${n === 1 ? word : many}`;
}
