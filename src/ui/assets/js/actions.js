// Actions of docs/ui.md: start an update (optionally refreshing some datasets fully) and
// stop the running one. Both POST with the session's token (api.js); the server's
// {"error"} message is shown as it is on failure.

import { api } from './api.js';
import { toast } from './widgets.js';

// body: {full_refresh_all: bool, full_refresh: [names], refresh: [names]}.
// Resolves true when the server accepted.
export async function startUpdate(pipelineId, body = {}) {
  const payload = {
    full_refresh_all: !!body.full_refresh_all,
    full_refresh: body.full_refresh || [],
    refresh: body.refresh || [],
  };
  try {
    await api.start(pipelineId, payload);
    let what = 'Update started';
    if (payload.full_refresh_all) what = 'Full refresh of all datasets started';
    else if (payload.full_refresh.length) what = `Update started, fully refreshing ${payload.full_refresh.join(', ')}`;
    toast(what, 'ok');
    return true;
  } catch (e) {
    toast(`Could not start an update: ${e.message}`, 'error');
    return false;
  }
}

export async function stopUpdate(pipelineId) {
  try {
    await api.stop(pipelineId);
    toast('Stop requested: the update stops after its current batches', 'ok');
    return true;
  } catch (e) {
    toast(`Could not stop the update: ${e.message}`, 'error');
    return false;
  }
}
