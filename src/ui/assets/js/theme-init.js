// Applies the stored theme before the page is drawn (a classic script in <head>, so dark
// mode users see no light flash). See theme.js.
(function () {
  try {
    var t = localStorage.getItem('sluice-theme');
    if (t === 'light' || t === 'dark') document.documentElement.setAttribute('data-theme', t);
  } catch (e) { /* storage disabled: follow prefers-color-scheme */ }
})();
