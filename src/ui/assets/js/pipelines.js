// Pipelines page: #/ when `sluice ui` serves several pipelines (with one, #/ goes straight
// to its graph).

import { activatable, h, replace } from './dom.js';
import { link, navigate } from './router.js';
import { section, table, td } from './widgets.js';

export function mount(root, ctx) {
  function draw() {
    const rows = ctx.pipelines.map((pl) => activatable(
      h('tr', { 'data-testid': 'pipeline-row', 'data-pipeline-id': pl.id },
        td(h('a', { href: link.graph(pl.id) }, pl.name), { cls: 'strong' }),
        td(pl.id, { cls: 'mono' }),
        td(pl.settings_file || '', { cls: 'mono' }),
        td(pl.storage || '', { cls: 'mono' }),
        td(pl.running ? h('span', { class: 'badge state-run' }, 'running') : h('span', { class: 'muted' }, 'idle'))),
      () => navigate(link.graph(pl.id)), `Open pipeline ${pl.name}`));
    replace(root, h('div', { class: 'page' },
      h('h1', null, 'Pipelines'),
      section(`${ctx.pipelines.length} pipelines`, table(
        [{ label: 'Name' }, { label: 'Id' }, { label: 'Settings' }, { label: 'Storage' }, { label: 'State' }],
        rows, { testid: 'pipelines-table', caption: 'Pipelines', empty: 'No pipeline found under this path.' }))));
  }
  draw();
  return {
    title: 'Pipelines',
    reload: async () => {
      await ctx.reloadPipelines();
      draw();
    },
  };
}
