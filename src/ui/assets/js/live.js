// Follows a pipeline's event log through GET /api/pipelines/{p}/live (server-sent events).
//
// Each `change` event ({"update_id", "running"}) calls onChange(data). The browser
// reconnects by itself after a drop; since changes may have been missed meanwhile, a
// reconnection is reported as a change too (with running unknown: null).

export class Live {
  constructor({ onChange, onStatus }) {
    this.onChange = onChange;
    this.onStatus = onStatus;
    this.source = null;
    this.url = null;
  }

  open(url) {
    if (this.url === url && this.source) return;
    this.close();
    if (typeof EventSource === 'undefined') {
      this.onStatus('unsupported');
      return;
    }
    this.url = url;
    let opened = false;
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('open', () => {
      this.onStatus('connected');
      if (opened) this.onChange({ update_id: null, running: null });
      opened = true;
    });
    source.addEventListener('change', (e) => {
      let data = {};
      try { data = JSON.parse(e.data); } catch { /* a change all the same */ }
      this.onChange(data);
    });
    source.addEventListener('error', () => {
      this.onStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    });
  }

  close() {
    if (this.source) this.source.close();
    this.source = null;
    this.url = null;
  }
}
