// Gantt timeline of an update's flows: one row per flow, a bar from its start to its end
// coloured by state. Hover or keyboard focus on a bar shows its details; a click calls
// onSelect(flow).
//
// Contract: bars are <div data-testid="timeline-bar" data-flow data-state tabindex="0">;
// the shared tooltip is data-testid="timeline-tooltip".

import { h, replace } from './dom.js';
import { fileLine, fmtDuration, fmtInt, fmtTime, parseTime, stateClass, stateLabel } from './format.js';

const STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400];

function tickStep(span) {
  for (const s of STEPS) if (span / s <= 8) return s;
  return STEPS[STEPS.length - 1];
}

function tickLabel(sec) {
  if (sec === 0) return '0';
  if (sec < 60) return `${Number(sec.toFixed(1))} s`;
  if (sec < 3600) return sec % 60 ? `${Math.floor(sec / 60)} min ${sec % 60} s` : `${sec / 60} min`;
  return sec % 3600 ? `${Math.floor(sec / 3600)} h ${Math.round((sec % 3600) / 60)} min` : `${sec / 3600} h`;
}

function tooltipContent(f) {
  const rows = [
    ['State', stateLabel(f.state)], ['Dataset', f.dataset], ['Start', fmtTime(f.start)], ['End', fmtTime(f.end)],
    ['Duration', fmtDuration(f.duration)], ['Output rows', fmtInt(f.output_rows)],
  ];
  return [
    h('strong', null, f.name),
    h('dl', null, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v || '—')])),
    f.error ? h('p', { class: 'tip-error' }, String(f.error).slice(0, 400)) : null,
    f.file ? h('p', { class: 'mono muted' }, fileLine(f.file, f.line)) : null,
  ];
}

export function timeline(update, flows, { onSelect } = {}) {
  const now = Date.now();
  const starts = flows.map((f) => parseTime(f.start)).filter((t) => t !== null);
  const ends = flows.map((f) => parseTime(f.end)).filter((t) => t !== null);
  const t0 = parseTime(update.start) ?? (starts.length ? Math.min(...starts) : now);
  let t1 = parseTime(update.end) ?? Math.max(now, ...ends);
  if (ends.length) t1 = Math.max(t1, ...ends);
  const span = Math.max((t1 - t0) / 1000, 0.001);
  const pct = (t) => `${Math.min(100, Math.max(0, ((t - t0) / 1000 / span) * 100))}%`;

  const tip = h('div', { class: 'timeline-tip', role: 'tooltip', id: 'timeline-tip', 'data-testid': 'timeline-tooltip', hidden: true });
  const step = tickStep(span);
  const ticks = [];
  for (let s = 0; s <= span + 1e-9; s += step) {
    ticks.push(h('span', { class: 'tick', style: { left: `${(s / span) * 100}%` } }, tickLabel(Number(s.toFixed(3)))));
  }

  const sorted = [...flows].sort((a, b) => {
    const sa = parseTime(a.start) ?? Infinity;
    const sb = parseTime(b.start) ?? Infinity;
    return sa - sb || a.name.localeCompare(b.name);
  });

  const wrap = h('div', { class: 'timeline', 'data-testid': 'timeline' });
  const show = (bar, f) => {
    replace(tip, tooltipContent(f));
    tip.hidden = false;
    const wr = wrap.getBoundingClientRect();
    const br = bar.getBoundingClientRect();
    const left = Math.min(Math.max(0, br.left - wr.left), Math.max(0, wr.width - 320));
    tip.style.left = `${left}px`;
    tip.style.top = `${br.bottom - wr.top + 6}px`;
    bar.setAttribute('aria-describedby', 'timeline-tip');
  };
  const hide = (bar) => {
    tip.hidden = true;
    bar.removeAttribute('aria-describedby');
  };

  const rows = sorted.map((f) => {
    const s = parseTime(f.start);
    let e = parseTime(f.end);
    const cls = stateClass(f.state);
    const timed = s !== null;
    if (timed && e === null) e = f.state === 'RUNNING' || cls === 'run' ? t1 : s;
    const label = `${f.name}: ${stateLabel(f.state)}${timed ? `, ${fmtDuration(f.duration ?? (e - s) / 1000)}` : ''}`;
    const bar = h('div', {
      class: `bar state-${cls}${timed ? '' : ' untimed'}`, 'data-testid': 'timeline-bar', 'data-flow': f.name,
      'data-state': f.state || 'NONE', tabindex: 0, role: 'button', 'aria-label': label,
      style: timed ? { left: pct(s), width: `max(3px, calc(${pct(e)} - ${pct(s)}))` } : { left: '0' },
    }, timed ? null : stateLabel(f.state));
    bar.addEventListener('pointerenter', () => show(bar, f));
    bar.addEventListener('pointerleave', () => hide(bar));
    bar.addEventListener('focus', () => show(bar, f));
    bar.addEventListener('blur', () => hide(bar));
    const select = () => onSelect && onSelect(f);
    bar.addEventListener('click', select);
    bar.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); select(); }
      if (ev.key === 'Escape') hide(bar);
    });
    return h('div', { class: 'tl-row' },
      h('div', { class: 'tl-label', title: f.name }, f.name),
      h('div', { class: 'tl-track' }, bar));
  });

  replace(wrap,
    h('div', { class: 'tl-row tl-axis', 'aria-hidden': 'true' }, h('div', { class: 'tl-label muted' }, 'Flow'), h('div', { class: 'tl-track' }, ticks)),
    rows.length ? rows : h('p', { class: 'muted' }, 'No flow ran in this update.'),
    tip);
  return wrap;
}
