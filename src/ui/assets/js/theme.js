// Light and dark themes. With nothing stored the page follows prefers-color-scheme (CSS);
// the toggle stores an explicit choice in localStorage "sluice-theme", which
// theme-init.js applies before the first paint.

const KEY = 'sluice-theme';
const listeners = new Set();

export function currentTheme() {
  const set = document.documentElement.dataset.theme;
  if (set === 'light' || set === 'dark') return set;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

// Called with the new theme after each change (charts re-read their colours).
export function onThemeChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notify() {
  for (const fn of listeners) fn(currentTheme());
}

export function setupThemeToggle(button) {
  const label = () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    button.setAttribute('aria-label', `Switch to ${next} theme`);
    button.title = `Switch to ${next} theme`;
    button.textContent = currentTheme() === 'dark' ? '☀' : '☾';
    button.dataset.theme = currentTheme();
  };
  button.addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try { localStorage.setItem(KEY, next); } catch { /* storage disabled: not remembered */ }
    label();
    notify();
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    label();
    notify();
  });
  label();
}

// A CSS variable's value under the current theme (for canvas charts, which cannot use
// var()).
export function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
