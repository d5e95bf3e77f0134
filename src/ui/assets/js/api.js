// The JSON API of docs/ui.md. All paths are relative to the page's origin.
//
// Path segments (pipeline ids, dataset names, update ids) are percent-encoded: a pipeline id
// may hold its folder ("a/retail") and an external dataset is named by its path, so a "/"
// inside them is sent as %2F.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

let token = null;

export function setToken(t) {
  token = t;
}

const enc = encodeURIComponent;

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

async function send(path, init) {
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError('The sluice server cannot be reached.', 0);
  }
  let body = null;
  const text = await res.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      if (res.ok) throw new ApiError(`Unexpected answer from ${path}`, res.status);
    }
  }
  if (!res.ok) {
    const msg = body && typeof body.error === 'string' ? body.error : `${res.status} ${res.statusText}`;
    throw new ApiError(msg, res.status);
  }
  return body;
}

export function get(path, signal) {
  return send(path, { signal, headers: { Accept: 'application/json' } });
}

// Actions carry the session's token (GET /api/pipelines) in X-Sluice-Token.
export function post(path, body) {
  return send(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Sluice-Token': token || '' },
    body: JSON.stringify(body || {}),
  });
}

const base = (p) => `/api/pipelines/${enc(p)}`;

export const api = {
  pipelines: (signal) => get('/api/pipelines', signal),
  graph: (p, update, signal) => get(`${base(p)}/graph${query({ update })}`, signal),
  updates: (p, limit, signal) => get(`${base(p)}/updates${query({ limit })}`, signal),
  update: (p, id, signal) => get(`${base(p)}/updates/${enc(id)}`, signal),
  // filters: {update, type, level, flow, limit}
  events: (p, filters, signal) => get(`${base(p)}/events${query(filters)}`, signal),
  quality: (p, last, signal) => get(`${base(p)}/quality${query({ last })}`, signal),
  dataset: (p, name, signal) => get(`${base(p)}/datasets/${enc(name)}`, signal),
  rows: (p, name, version, limit, signal) =>
    get(`${base(p)}/datasets/${enc(name)}/rows${query({ version, limit })}`, signal),
  liveUrl: (p) => `${base(p)}/live`,
  // body: {full_refresh_all, full_refresh: [names], refresh: [names]}
  start: (p, body) => post(`${base(p)}/updates`, body),
  stop: (p) => post(`${base(p)}/stop`, {}),
};
