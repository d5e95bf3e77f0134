// Hash routes: #/p/<pipeline>/<page>[/<arg>][?query]. Segments are percent-encoded, since
// pipeline ids and dataset names may contain "/".

export function parseHash(hash) {
  const text = (hash || '').replace(/^#/, '');
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  const segments = path.split('/').filter((x) => x !== '').map((x) => {
    try { return decodeURIComponent(x); } catch { return x; }
  });
  return { segments, query };
}

// hashFor(['p', 'retail', 'graph'], {update: 'x'}) -> "#/p/retail/graph?update=x"
export function hashFor(segments, query) {
  let out = `#/${segments.map(encodeURIComponent).join('/')}`;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    }
    const t = q.toString();
    if (t) out += `?${t}`;
  }
  return out;
}

// Links inside a pipeline.
export const link = {
  graph: (p, update) => hashFor(['p', p, 'graph'], { update }),
  updates: (p) => hashFor(['p', p, 'updates']),
  update: (p, id) => hashFor(['p', p, 'updates', id]),
  quality: (p) => hashFor(['p', p, 'quality']),
  dataset: (p, name, version) => hashFor(['p', p, 'datasets', name], { version }),
  events: (p, filters) => hashFor(['p', p, 'events'], filters),
};

export function navigate(hash) {
  if (location.hash !== hash) location.hash = hash;
}

// Changes the query of the current route without a new history entry or a re-render
// (filters, selected update): the page already shows it.
export function replaceQuery(query) {
  const { segments } = parseHash(location.hash);
  history.replaceState(history.state, '', hashFor(segments, query));
}
