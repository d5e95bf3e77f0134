// Browser tests of `sluice ui`: headless Chromium (Debian's chromium) driven by
// playwright-core checks the pages as a person would, each against the JSON API or the
// event log (`sluice query ... FROM event_log`).
//
//   node browser_test.mjs --sluice BIN --playwright DIR [--chromium EXE] [--screenshots DIR]
//                         [--keep]
//
// It writes a pipeline project in a temporary folder (a streaming table reading JSON files
// with a drop and a warn expectation, a materialized view with a FAIL UPDATE expectation),
// runs a first update that completes and a second that fails (`sluice run`), serves it
// with `sluice ui --port 0` on 127.0.0.1 and opens every page. A third update is started
// from the page. Each page's screenshot goes to --screenshots. The server, the browser and
// the folder (unless --keep) are removed at the end, also on failure.
//
// Exit codes: 0 every check passed, 1 a check failed, 77 skipped (no Chromium or no
// playwright-core: run scripts/setup.sh and scripts/test.sh).

import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const SKIP = 77;
const DEADLINE_MS = 240_000;       // the whole test; CTest's TIMEOUT is above it
const START_TIMEOUT_MS = 30_000;   // until the server prints its address
const UPDATE_TIMEOUT_MS = 60_000;  // an update started from the page
const DOM_TIMEOUT_MS = 20_000;     // any element or state a page should show
const CLI_TIMEOUT_MS = 120_000;    // one `sluice run` or `sluice query`

const { values: opt } = parseArgs({
  options: {
    sluice: { type: 'string' },
    playwright: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    screenshots: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

if (!opt.sluice || !opt.playwright) {
  console.error('usage: browser_test.mjs --sluice BIN --playwright DIR [--chromium EXE] [--screenshots DIR] [--keep]');
  process.exit(2);
}
if (!existsSync(opt.chromium)) {
  console.log(`SKIP: no Chromium at ${opt.chromium} (scripts/test.sh installs Debian's chromium)`);
  process.exit(SKIP);
}
if (!existsSync(join(opt.playwright, 'index.mjs'))) {
  console.log(`SKIP: no playwright-core in ${opt.playwright} (scripts/setup.sh fetches it)`);
  process.exit(SKIP);
}
const { chromium } = await import(pathToFileURL(join(opt.playwright, 'index.mjs')).href);

// ---------------------------------------------------------------------------------------
// Clean-up: the server, the browser and the project folder go, however the test ends.

let server = null;        // the `sluice ui` child process
let serverLog = '';       // its stdout and stderr, shown when something fails
let browser = null;
let projectDir = null;
const cliChildren = new Set();  // `sluice run` and `sluice query` processes running

// Stops the server as Ctrl-C does (SIGINT); kills it when it has not exited 10 s later.
// Returns null when it exited by itself, else what went wrong.
async function stopServer() {
  if (!server) return null;
  const child = server;
  server = null;
  if (child.exitCode !== null || child.signalCode !== null) {
    return `it had exited before the end (${child.exitCode ?? child.signalCode})`;
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGINT');
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 10_000));
  const result = await Promise.race([exited, timeout]);
  if (result === null) {
    child.kill('SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    return 'it did not exit within 10 s of SIGINT and was killed';
  }
  return result.code === 0 ? null : `it exited with ${result.code ?? result.signal} on SIGINT`;
}

async function closeBrowser() {
  if (!browser) return;
  const b = browser;
  browser = null;
  await Promise.race([b.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

async function cleanUp() {
  for (const child of cliChildren) child.kill('SIGKILL');
  await closeBrowser();
  await stopServer();
  if (projectDir && !opt.keep) rmSync(projectDir, { recursive: true, force: true });
}

let finishing = false;
async function finish(code) {
  if (finishing) return;
  finishing = true;
  await cleanUp();
  process.exit(code);
}

const deadline = setTimeout(() => {
  console.error(`FAIL: the test did not end within ${DEADLINE_MS / 1000} s`);
  if (serverLog) console.error(`--- sluice ui output ---\n${serverLog}`);
  finish(1);
}, DEADLINE_MS);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`stopped by ${sig}`);
    finish(1);
  });
}

// ---------------------------------------------------------------------------------------
// Checks

const failures = [];

class CheckError extends Error {}

function check(ok, message) {
  if (!ok) throw new CheckError(message);
}

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new CheckError(`${what}: got ${a}, expected ${e}`);
}

const sorted = (xs) => [...xs].sort();
const byKey = (obj) => Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

// Runs one group of checks; a failure is recorded and the next group still runs.
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok    ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL  ${name}: ${e instanceof CheckError ? e.message : e.stack || e}`);
  }
}

// Polls fn (which returns a value, or throws CheckError while the page is not there yet)
// every 200 ms until it returns something truthy; bounded by timeoutMs.
async function eventually(fn, timeoutMs = DOM_TIMEOUT_MS) {
  const end = Date.now() + timeoutMs;
  let last = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = null;
    } catch (e) {
      if (!(e instanceof CheckError)) throw e;
      last = e;
    }
    if (Date.now() >= end) {
      throw new CheckError(`after ${timeoutMs / 1000} s: ${last ? last.message : 'still not so'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// ---------------------------------------------------------------------------------------
// The pipeline project and the CLI

function run(args, okCodes = [0]) {
  return new Promise((resolve, reject) => {
    const child = execFile(opt.sluice, args, { timeout: CLI_TIMEOUT_MS, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      cliChildren.delete(child);
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      if (!okCodes.includes(code)) {
        reject(new Error(`sluice ${args.join(' ')} exited with ${code} (expected ${okCodes.join(' or ')}):\n${stdout}${stderr}`));
      } else {
        resolve({ code, stdout, stderr });
      }
    });
    cliChildren.add(child);
  });
}

// `sluice query DIR --format json SQL`: an array of row objects.
async function query(sql) {
  const { stdout } = await run(['query', projectDir, '--format', 'json', sql]);
  return JSON.parse(stdout);
}

const lines = (...rows) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

function sqlSource(threshold) {
  return `CREATE STREAMING TABLE orders (
  CONSTRAINT positive_amount EXPECT (amount > 0) ON VIOLATION DROP ROW,
  CONSTRAINT known_status EXPECT (status IN ('new', 'paid'))
) AS SELECT id, customer, amount, status FROM STREAM read_files('data', format => 'json');

CREATE MATERIALIZED VIEW revenue (
  CONSTRAINT small_total EXPECT (total < ${threshold}) ON VIOLATION FAIL UPDATE
) AS SELECT customer, sum(amount) AS total FROM orders GROUP BY customer;
`;
}

function writeProject() {
  projectDir = mkdtempSync(join(tmpdir(), 'sluice-ui-browser-'));
  mkdirSync(join(projectDir, 'transformations'));
  mkdirSync(join(projectDir, 'data'));
  writeFileSync(join(projectDir, 'pipeline.yml'), 'name: shop\n');
  writeFileSync(join(projectDir, 'transformations/shop.sql'), sqlSource(1000));
}

// ---------------------------------------------------------------------------------------
// The event log's numbers

// Each flow's final state in an update (its last flow_progress status that is not a
// step on the way).
async function flowStates(updateId) {
  const rows = await query(`SELECT origin.flow_name AS flow, details:flow_progress.status AS status
    FROM event_log WHERE event_type = 'flow_progress' AND origin.update_id = '${updateId}'
      AND details:flow_progress.status NOT IN ('QUEUED', 'STARTING', 'RUNNING', 'PLANNING')
    ORDER BY timestamp`);
  const out = {};
  for (const r of rows) out[r.flow] = r.status;
  return out;
}

// {"dataset/name": {action, updates: {update_id: {passed, failed, dropped}}}} from the
// flow_progress events' data_quality, summed per update, and the actions from the
// dataset_definition events.
async function qualityFromLog() {
  const defs = await query(`SELECT origin.dataset_name AS dataset,
      details:dataset_definition.expectations AS expectations
    FROM event_log WHERE event_type = 'dataset_definition'`);
  const actions = {};
  for (const d of defs) {
    const exps = typeof d.expectations === 'string' ? JSON.parse(d.expectations) : d.expectations || [];
    for (const e of exps) actions[`${d.dataset}/${e.name}`] = e.action;
  }
  const rows = await query(`SELECT origin.update_id AS update_id,
      details:flow_progress.data_quality AS dq
    FROM event_log WHERE event_type = 'flow_progress'
      AND details:flow_progress.data_quality IS NOT NULL`);
  const out = {};
  for (const r of rows) {
    const dq = typeof r.dq === 'string' ? JSON.parse(r.dq) : r.dq;
    for (const e of dq.expectations || []) {
      const key = `${e.dataset}/${e.name}`;
      const exp = out[key] || (out[key] = { action: actions[key], updates: {} });
      const u = exp.updates[r.update_id] || (exp.updates[r.update_id] = { passed: 0, failed: 0, dropped: 0 });
      u.passed += e.passed_records;
      u.failed += e.failed_records;
      if (actions[key] === 'DROP') u.dropped += e.failed_records;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The server and its API

async function startServer() {
  server = spawn(opt.sluice, ['ui', projectDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const child = server;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sluice ui printed no address within ${START_TIMEOUT_MS / 1000} s:\n${serverLog}`)), START_TIMEOUT_MS);
    const onData = (chunk) => {
      serverLog += chunk;
      const m = /sluice ui: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(serverLog);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => { serverLog += chunk; });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`sluice ui exited (${code ?? signal}) before printing its address:\n${serverLog}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

let base = null;   // http://127.0.0.1:PORT/
const P = 'shop';  // the pipeline's id

async function api(path) {
  const res = await fetch(new URL(path, base), { signal: AbortSignal.timeout(15_000) });
  const body = await res.json();
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

// ---------------------------------------------------------------------------------------
// The browser

const consoleErrors = [];   // {page, text, url}: console errors and uncaught exceptions
const expectedErrors = [];  // predicates for errors a check causes on purpose

async function newPage(context, label) {
  const page = await context.newPage();
  page.on('pageerror', (e) => consoleErrors.push({ page: label, text: `uncaught: ${e.stack || e.message}`, url: '' }));
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push({ page: label, text: msg.text(), url: msg.location().url || '' });
  });
  return page;
}

async function screenshot(page, name) {
  if (!opt.screenshots) return;
  await page.screenshot({ path: join(opt.screenshots, `${name}.png`), fullPage: true });
}

// Loads the app at a route, afresh (a hash change alone would leave the last page's
// elements in place until the app redraws).
async function open(page, hash) {
  await page.goto('about:blank');
  await page.goto(`${base}${hash}`);
  await page.locator(`[data-testid="nav-tab"]`).first().waitFor();
}

// The page shows no error box (a failed API call or a script error it caught).
async function noErrorBox(page) {
  const errors = await page.locator('[data-testid="page-error"]').allTextContents();
  check(errors.length === 0, `the page shows an error: ${JSON.stringify(errors)}`);
}

const attrs = (page, selector, ...names) => page.locator(selector).evaluateAll(
  (els, ns) => els.map((el) => Object.fromEntries(ns.map((n) => [n, el.getAttribute(n)]))), names);

// [r, g, b] of a CSS colour as getComputedStyle gives it ("rgb(212, 42, 42)").
function rgb(text) {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(text || '');
  if (!m) throw new CheckError(`not an rgb colour: ${text}`);
  return m.slice(1, 4).map(Number);
}
const isRed = ([r, g, b]) => r >= 150 && g <= 110 && b <= 110;
const isGreen = ([r, g, b]) => g >= 90 && g > r + 40 && g > b + 40;

// The stroke of a graph node's box and the fill of its state stripe.
const nodeColours = (page, name) => page.locator(`[data-testid="graph-node"][data-name="${name}"]`).evaluate((g) => ({
  box: getComputedStyle(g.querySelector('.node-box')).stroke,
  stripe: getComputedStyle(g.querySelector('.node-stripe')).fill,
}));

// ---------------------------------------------------------------------------------------
// The test

async function main() {
  if (opt.screenshots) mkdirSync(opt.screenshots, { recursive: true });
  writeProject();

  // Update 1 completes: 5 orders, one dropped (amount -5), two of unknown status.
  writeFileSync(join(projectDir, 'data/1.json'), lines(
    { id: 1, customer: 'a', amount: 10, status: 'new' },
    { id: 2, customer: 'b', amount: -5, status: 'paid' },
    { id: 3, customer: 'a', amount: 20, status: 'lost' },
    { id: 4, customer: 'c', amount: 7, status: 'paid' },
    { id: 5, customer: 'c', amount: 8, status: 'gone' }));
  await run(['run', projectDir], [0]);
  // Update 2 fails: customer b's total of 5000 breaks revenue's small_total (FAIL UPDATE);
  // orders still appends its new rows (a second version).
  writeFileSync(join(projectDir, 'data/2.json'), lines(
    { id: 6, customer: 'b', amount: 5000, status: 'new' },
    { id: 7, customer: 'c', amount: 0, status: 'odd' },
    { id: 8, customer: 'd', amount: 3, status: 'new' },
    { id: 9, customer: 'd', amount: 4, status: 'x' }));
  await run(['run', projectDir], [1]);

  const logUpdates = await query(`SELECT origin.update_id AS id, details:update_progress.state AS state
    FROM event_log WHERE event_type = 'update_progress'
      AND details:update_progress.state IN ('COMPLETED', 'FAILED') ORDER BY timestamp`);
  same(logUpdates.map((u) => u.state), ['COMPLETED', 'FAILED'], 'the event log\'s updates (precondition)');
  const okId = logUpdates[0].id;
  const failedId = logUpdates[1].id;

  base = await startServer();
  console.log(`sluice ui at ${base}, project in ${projectDir}`);

  browser = await chromium.launch({
    executablePath: opt.chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(DOM_TIMEOUT_MS);
  const page = await newPage(context, 'main');

  // a. The graph: a node per dataset, the failed update's failed dataset red, its error on
  //    the update page.
  await step('graph: a node and an edge for each of the API\'s, coloured by the selected update', async () => {
    await open(page, `#/p/${P}/graph`);
    const graphFailed = await api(`/api/pipelines/${P}/graph?update=${failedId}`);
    const graphOk = await api(`/api/pipelines/${P}/graph?update=${okId}`);
    same(graphFailed.update_id, failedId, 'the API\'s graph of the failed update (precondition)');
    await page.locator('[data-testid="graph-node"]').first().waitFor();
    const wantNames = sorted(graphFailed.datasets.map((d) => d.name));
    const nodes = () => attrs(page, '[data-testid="graph-node"]', 'data-name', 'data-state', 'data-type', 'data-failed-expectations');
    same(sorted((await nodes()).map((n) => n['data-name'])), wantNames, 'graph nodes');
    const edges = await attrs(page, '[data-testid="graph-edge"]', 'data-from', 'data-to');
    same(sorted(edges.map((e) => `${e['data-from']} -> ${e['data-to']}`)),
      sorted(graphFailed.edges.map((e) => `${e.from} -> ${e.to}`)), 'graph edges');

    // Choose the completed update, then the failed one, in the update select.
    const byName = async () => Object.fromEntries((await nodes()).map((n) => [n['data-name'], n]));
    for (const [id, graph] of [[okId, graphOk], [failedId, graphFailed]]) {
      await page.locator('[data-testid="graph-update-select"]').selectOption(id);
      await eventually(async () => {
        const got = await byName();
        for (const d of graph.datasets) {
          same(got[d.name] && got[d.name]['data-state'], d.state || 'NONE', `state of node ${d.name} in update ${id}`);
          same(got[d.name]['data-type'], d.type, `type of node ${d.name}`);
          same(Number(got[d.name]['data-failed-expectations']), d.failed_expectations, `expectations with failed records of ${d.name} in update ${id}`);
        }
        return true;
      });
      same(await page.locator('[data-testid="graph-update-link"]').getAttribute('href'),
        `#/p/${P}/updates/${id}`, 'the graph summary\'s update link');
      if (id === okId) await screenshot(page, 'graph-completed-update');
    }
    same(graphFailed.datasets.find((d) => d.name === 'revenue').state, 'FAILED', 'revenue in the failed update (precondition)');
    same(await page.locator('[data-testid="graph-update-state"]').getAttribute('data-state'), 'FAILED', 'the graph summary\'s update state');

    const failed = await nodeColours(page, 'revenue');
    check(isRed(rgb(failed.box)) && isRed(rgb(failed.stripe)), `the failed node revenue is not red: ${JSON.stringify(failed)}`);
    const ok = await nodeColours(page, 'orders');
    check(isGreen(rgb(ok.box)) && isGreen(rgb(ok.stripe)), `the completed node orders is not green: ${JSON.stringify(ok)}`);
    const tip = await page.locator('[data-testid="graph-node"][data-name="revenue"] > title').textContent();
    const apiError = graphFailed.datasets.find((d) => d.name === 'revenue').error;
    check(tip.includes(apiError), `the failed node's tooltip does not hold the API's error ${JSON.stringify(apiError)}: ${JSON.stringify(tip)}`);
    await noErrorBox(page);
    await screenshot(page, 'graph-failed-update');
  });

  await step('update page: the failed flow\'s error as the API and the event log give it', async () => {
    // As a person goes there: the graph summary's link.
    await open(page, `#/p/${P}/graph?update=${failedId}`);
    await page.locator('[data-testid="graph-update-link"]').click();
    await page.waitForURL(`**#/p/${P}/updates/${failedId}`);
    const u = await api(`/api/pipelines/${P}/updates/${failedId}`);
    const flow = u.flows.find((f) => f.name === 'revenue');
    same(flow.state, 'FAILED', 'the API\'s revenue flow (precondition)');
    const errorEl = page.locator('[data-testid="flow-error"][data-flow="revenue"]');
    await errorEl.waitFor({ state: 'visible' });
    const shown = await errorEl.textContent();
    same(shown, flow.error, 'the flow error of revenue');
    check(shown.includes('small_total'), `the flow error does not name the expectation: ${shown}`);
    const logErrors = await query(`SELECT error FROM event_log WHERE event_type = 'flow_progress'
      AND origin.update_id = '${failedId}' AND origin.flow_name = 'revenue' AND level = 'ERROR'`);
    same(logErrors.length, 1, 'ERROR flow_progress events of revenue in the event log');
    const logError = typeof logErrors[0].error === 'string' ? JSON.parse(logErrors[0].error) : logErrors[0].error;
    same(shown, logError.exceptions[0].message, 'the flow error against the event log');
    check(await errorEl.isVisible(), 'the flow error is not visible');
    same(await page.locator('[data-testid="update-summary"]').getAttribute('data-state'), 'FAILED', 'the update\'s state');
    const colour = rgb(await errorEl.evaluate((el) => getComputedStyle(el).color));
    check(isRed(colour), `the flow error is not red: ${colour}`);
    await noErrorBox(page);
  });

  // b. The timeline: a bar per flow, in the flow's state.
  for (const [id, label] of [[failedId, 'failed'], [okId, 'completed']]) {
    await step(`update page: the ${label} update's timeline has a bar per flow in its state`, async () => {
      await open(page, `#/p/${P}/updates/${id}`);
      const bars = page.locator('[data-testid="timeline-bar"]');
      await bars.first().waitFor();
      const u = await api(`/api/pipelines/${P}/updates/${id}`);
      const fromLog = await flowStates(id);
      const got = Object.fromEntries((await attrs(page, '[data-testid="timeline-bar"]', 'data-flow', 'data-state'))
        .map((b) => [b['data-flow'], b['data-state']]));
      const fromApi = Object.fromEntries(u.flows.map((f) => [f.name, f.state]));
      same(sorted(Object.keys(got)), sorted(Object.keys(fromLog)), 'timeline bars against the event log\'s flows');
      for (const [f, state] of Object.entries(fromLog)) {
        same(got[f], state, `timeline bar of ${f} against the event log`);
        same(got[f], fromApi[f], `timeline bar of ${f} against the API`);
        const box = await page.locator(`[data-testid="timeline-bar"][data-flow="${f}"]`).boundingBox();
        check(box && box.width >= 3 && box.height > 0, `the bar of ${f} is not drawn: ${JSON.stringify(box)}`);
        const bg = rgb(await page.locator(`[data-testid="timeline-bar"][data-flow="${f}"]`).evaluate((el) => getComputedStyle(el).backgroundColor));
        if (state === 'FAILED') check(isRed(bg), `the bar of failed ${f} is not red: ${bg}`);
        if (state === 'COMPLETED') check(isGreen(bg), `the bar of completed ${f} is not green: ${bg}`);
      }
      const rows = await attrs(page, '[data-testid="flow-row"]', 'data-flow', 'data-state');
      same(byKey(Object.fromEntries(rows.map((r) => [r['data-flow'], r['data-state']]))), byKey(fromLog), 'the flows table\'s states');
      await noErrorBox(page);
      await screenshot(page, `update-${label}`);
    });
  }

  // c. Data quality: every cell equals the event log's counts.
  await step('quality page: passed, failed and dropped records per update equal the event log\'s', async () => {
    await open(page, `#/p/${P}/quality`);
    await page.locator('[data-testid="quality-expectation"]').first().waitFor();
    const log = await qualityFromLog();
    check(Object.keys(log).length === 2, `the event log has ${Object.keys(log).length} checked expectations, expected 2 (precondition)`);
    const cards = await attrs(page, '[data-testid="quality-expectation"]', 'data-dataset', 'data-expectation');
    same(sorted(cards.map((c) => `${c['data-dataset']}/${c['data-expectation']}`)), sorted(Object.keys(log)), 'expectations shown');
    const fmt = new Intl.NumberFormat('en-US');
    for (const [key, exp] of Object.entries(log)) {
      const [dataset, name] = key.split('/');
      const card = page.locator(`[data-testid="quality-expectation"][data-dataset="${dataset}"][data-expectation="${name}"]`);
      const rowIds = await card.locator('[data-testid="quality-row"]').evaluateAll((els) => els.map((el) => el.dataset.updateId));
      same(sorted(rowIds), sorted(Object.keys(exp.updates)), `updates in the table of ${key}`);
      for (const [updateId, want] of Object.entries(exp.updates)) {
        for (const [field, value] of [['passed_records', want.passed], ['failed_records', want.failed], ['dropped_records', want.dropped]]) {
          const cell = card.locator(`[data-testid="quality-cell"][data-update-id="${updateId}"][data-field="${field}"]`);
          same(await cell.getAttribute('data-value'), String(value), `${key} ${field} of update ${updateId.slice(0, 8)}`);
          same((await cell.textContent()).trim(), fmt.format(value), `${key} ${field} text of update ${updateId.slice(0, 8)}`);
        }
      }
      const canvas = await card.locator('[data-testid="quality-chart"] canvas').boundingBox();
      check(canvas && canvas.width > 200 && canvas.height > 100, `no chart drawn for ${key}: ${JSON.stringify(canvas)}`);
    }
    await noErrorBox(page);
    await screenshot(page, 'quality');
  });

  // d. A dataset's rows at an older version.
  await step('dataset page: version 0 shows the rows of orders VERSION AS OF 0', async () => {
    await open(page, `#/p/${P}/datasets/orders`);
    const select = page.locator('[data-testid="version-select"]');
    const d = await api(`/api/pipelines/${P}/datasets/orders`);
    const versions = d.history.map((h) => h.version).sort((a, b) => b - a);
    check(versions.length >= 2 && versions.includes(0), `orders has versions ${versions} (precondition)`);
    await eventually(async () => {
      const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
      same(values, ['', ...versions.map(String)], 'the version select\'s options');
      return true;
    });
    const ids = async () => page.locator('[data-testid="rows-row"]').evaluateAll((trs) => trs.map((tr) => tr.cells[0].textContent));
    const latest = (await query('SELECT id FROM orders ORDER BY id')).map((r) => String(r.id));
    const [{ n: latestCount }] = await query('SELECT count(*) AS n FROM orders');
    await eventually(async () => {
      same(sorted(await ids()), sorted(latest), 'rows of the latest version');
      return true;
    });
    same(await page.locator('[data-testid="rows-row"]').count(), latestCount, 'row count at the latest version');
    same(await select.evaluate((el) => el.selectedOptions[0].textContent), `latest (version ${d.version})`, 'the version select');
    // /rows without a version answers "version": null (the latest), so the rows' caption
    // names no version then; it must not name another one.
    const latestShown = await page.locator('[data-testid="rows-info"]').getAttribute('data-version');
    check(latestShown === '' || latestShown === String(d.version), `the rows are captioned version ${latestShown}, the latest is ${d.version}`);
    // The checkpoint: where orders' next batch starts, as checkpoint_offsets says.
    const [{ files }] = await query("SELECT files FROM checkpoint_offsets('orders')");
    await eventually(async () => {
      const text = await page.locator('[data-testid="checkpoint-row"][data-flow="orders"] [data-testid="checkpoint-sources"] li[data-source-type="files"]').textContent();
      check(text.endsWith(`: ${files} files read`), `the checkpoint's files source reads "${text}", checkpoint_offsets has ${files} files`);
      return true;
    });
    await screenshot(page, 'dataset-orders-latest');

    await select.selectOption('0');
    const old = (await query('SELECT id FROM orders VERSION AS OF 0 ORDER BY id')).map((r) => String(r.id));
    const [{ n: oldCount }] = await query('SELECT count(*) AS n FROM orders VERSION AS OF 0');
    check(oldCount < latestCount, `orders has ${oldCount} rows at version 0 and ${latestCount} now (precondition)`);
    await eventually(async () => {
      same(await page.locator('[data-testid="rows-info"]').getAttribute('data-version'), '0', 'the version shown');
      same(sorted(await ids()), sorted(old), 'rows at version 0');
      return true;
    });
    same(await page.locator('[data-testid="rows-row"]').count(), oldCount, 'row count at version 0');
    check(page.url().includes('version=0'), `the address does not keep the version: ${page.url()}`);
    same(await page.locator('[data-testid="history-row"]').count(), versions.length, 'rows of the history table');
    await noErrorBox(page);
    await screenshot(page, 'dataset-orders-version-0');
  });

  // e. The event log, then only its ERROR events.
  await step('event log page: every event, then only the ERROR ones', async () => {
    await open(page, `#/p/${P}/events`);
    const [{ n: total }] = await query('SELECT count(*) AS n FROM event_log');
    const levels = Object.fromEntries((await query('SELECT level, count(*) AS n FROM event_log GROUP BY level')).map((r) => [r.level, r.n]));
    check(total < 1000 && levels.ERROR > 0, `the event log has ${total} events, ${levels.ERROR} ERROR (precondition)`);
    const rowLevels = () => page.locator('[data-testid="event-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.level));
    await eventually(async () => {
      same((await rowLevels()).length, total, 'event rows against count(*) FROM event_log');
      return true;
    });
    const shownLevels = {};
    for (const l of await rowLevels()) shownLevels[l] = (shownLevels[l] || 0) + 1;
    same(byKey(shownLevels), byKey(levels), 'event rows per level');
    await screenshot(page, 'events-all');

    await page.locator('[data-testid="filter-level"]').selectOption('ERROR');
    await eventually(async () => {
      const ls = await rowLevels();
      same(ls, Array(levels.ERROR).fill('ERROR'), 'event rows with level ERROR');
      return true;
    });
    check(page.url().includes('level=ERROR'), `the address does not keep the filter: ${page.url()}`);
    const apiErrors = await api(`/api/pipelines/${P}/events?level=ERROR`);
    same(await page.locator('[data-testid="event-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.eventId)),
      apiErrors.events.map((e) => e.id).reverse(), 'ERROR event ids, newest first, against the API');
    // The failed flow's event opens its error.
    const flowEvent = apiErrors.events.find((e) => e.flow_name === 'revenue');
    await page.locator(`[data-testid="event-row"][data-event-id="${flowEvent.id}"]`).click();
    const details = page.locator(`[data-testid="event-details"][data-event-id="${flowEvent.id}"] [data-testid="event-error"]`);
    await details.waitFor({ state: 'visible' });
    same(JSON.parse(await details.textContent()), flowEvent.error, 'the opened event\'s error');
    await noErrorBox(page);
    await screenshot(page, 'events-error');
  });

  // An error caused on purpose: a dataset that does not exist.
  await step('dataset page of an unknown dataset: the API\'s message', async () => {
    const missing = 'no_such_table';
    expectedErrors.push((e) => e.url.endsWith(`/api/pipelines/${P}/datasets/${missing}`) && /404/.test(e.text));
    const res = await fetch(new URL(`/api/pipelines/${P}/datasets/${missing}`, base), { signal: AbortSignal.timeout(15_000) });
    same(res.status, 404, 'the API\'s status for an unknown dataset (precondition)');
    const { error } = await res.json();
    await open(page, `#/p/${P}/datasets/${missing}`);
    const box = page.locator('[data-testid="page-error"]');
    await box.waitFor({ state: 'visible' });
    same(await box.textContent(), error, 'the error shown');
    await screenshot(page, 'dataset-unknown');
  });

  // f. An update started from the page, followed live.
  await step('start update: the update runs and both open pages show it without a reload', async () => {
    const before = (await api(`/api/pipelines/${P}/updates`)).updates.map((u) => u.update_id);
    same(before.length, 2, 'updates before (precondition)');
    const graphPage = await newPage(context, 'live graph');
    await open(graphPage, `#/p/${P}/graph`);
    await graphPage.locator('[data-testid="graph-node"][data-name="revenue"][data-state="FAILED"]').waitFor();
    await open(page, `#/p/${P}/updates`);
    await eventually(async () => (await page.locator('[data-testid="update-row"]').count()) === 2);
    // A mark that a reload would wipe out.
    for (const pg of [page, graphPage]) await pg.evaluate(() => { window.sluiceTestMark = 'not reloaded'; });

    // The fix a person would make: a higher threshold; and new data arrives.
    writeFileSync(join(projectDir, 'transformations/shop.sql'), sqlSource(100000));
    writeFileSync(join(projectDir, 'data/3.json'), lines(
      { id: 10, customer: 'e', amount: 12, status: 'paid' },
      { id: 11, customer: 'e', amount: 13, status: 'new' }));

    await page.locator('[data-testid="start-update"]').click();
    const newRow = await eventually(async () => {
      const rows = await attrs(page, '[data-testid="update-row"]', 'data-update-id', 'data-state');
      check(rows.length === 3, `${rows.length} update rows`);
      check(!before.includes(rows[0]['data-update-id']), 'the newest row is an old update');
      check(rows[0]['data-state'] === 'COMPLETED', `the new update is ${rows[0]['data-state']}`);
      return rows[0];
    }, UPDATE_TIMEOUT_MS);
    const newId = newRow['data-update-id'];
    const apiUpdates = (await api(`/api/pipelines/${P}/updates`)).updates;
    same(apiUpdates.map((u) => [u.update_id, u.state]), [[newId, 'COMPLETED'], ...before.map((id, i) => [id, i === 0 ? 'FAILED' : 'COMPLETED'])], 'the API\'s updates');
    const [logState] = await query(`SELECT details:update_progress.state AS state FROM event_log
      WHERE event_type = 'update_progress' AND origin.update_id = '${newId}'
        AND details:update_progress.state IN ('COMPLETED', 'FAILED', 'CANCELED')`);
    same(logState && logState.state, 'COMPLETED', 'the new update\'s state in the event log');
    await screenshot(page, 'updates-live');

    // The graph page, left on the latest update, shows the new one.
    await eventually(async () => {
      same(await graphPage.locator('[data-testid="graph-update-link"]').getAttribute('href'), `#/p/${P}/updates/${newId}`, 'the graph\'s update link');
      same(await graphPage.locator('[data-testid="graph-node"][data-name="revenue"]').getAttribute('data-state'), 'COMPLETED', 'revenue\'s node');
      return true;
    }, UPDATE_TIMEOUT_MS);
    const fromLog = await flowStates(newId);
    const nodes = await attrs(graphPage, '[data-testid="graph-node"]', 'data-name', 'data-state');
    for (const [f, state] of Object.entries(fromLog)) {
      same(nodes.find((n) => n['data-name'] === f)['data-state'], state, `node ${f} against the event log`);
    }
    const colours = await nodeColours(graphPage, 'revenue');
    check(isGreen(rgb(colours.box)), `revenue is not green after the fix: ${JSON.stringify(colours)}`);
    for (const pg of [page, graphPage]) {
      same(await pg.evaluate(() => window.sluiceTestMark), 'not reloaded', 'the mark set before the update (the page reloaded)');
    }
    await eventually(async () => {
      same(await page.locator('[data-testid="live-indicator"]').getAttribute('data-running'), 'false', 'the live indicator after the update');
      return true;
    });
    check(await page.locator('[data-testid="action-error"]').count() === 0,
      `an action error is shown: ${await page.locator('[data-testid="action-error"]').allTextContents()}`);
    await noErrorBox(graphPage);
    await screenshot(graphPage, 'graph-live');
    await graphPage.close();
  });

  // g. No JavaScript errors on any page, but the one caused on purpose.
  await step('no JavaScript errors or HTTP errors in the console', async () => {
    const unexpected = consoleErrors.filter((e) => !expectedErrors.some((ok) => ok(e)));
    check(unexpected.length === 0, `console errors:\n${unexpected.map((e) => `  [${e.page}] ${e.text} ${e.url}`).join('\n')}`);
    check(consoleErrors.some((e) => expectedErrors.some((ok) => ok(e))),
      'the 404 caused on purpose was not seen in the console (are console errors collected?)');
  });
}

let code = 0;
try {
  await main();
} catch (e) {
  console.log(`FAIL  set-up: ${e.stack || e}`);
  failures.push('set-up');
}
await closeBrowser();
if (server) {
  const problem = await stopServer();
  if (problem) {
    failures.push('the server stops on SIGINT');
    console.log(`FAIL  the server stops on SIGINT: ${problem}`);
  } else {
    console.log('ok    the server stops on SIGINT');
  }
}
if (failures.length) {
  code = 1;
  console.log(`\n${failures.length} check(s) failed: ${failures.join('; ')}`);
  console.log(`--- sluice ui output ---\n${serverLog}`);
} else {
  console.log('\nall browser checks passed');
}
if (opt.screenshots) console.log(`screenshots in ${opt.screenshots}`);
clearTimeout(deadline);
await finish(code);
