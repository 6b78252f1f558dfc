// End-to-end: a person links Spotify accounts on the bridge's account page, in a real browser.
//
// Starts a private mosquitto, fake_spotify and spotify2mqtt on free loopback ports, then drives
// Debian's chromium (/usr/bin/chromium) with playwright-core through the OAuth round trip:
//   1. link from the page (bridge page -> fake consent page -> Agree -> bridge callback),
//   2. the paste path (the browser cannot reach the bridge's callback; the URL is pasted),
//   3. a forged state and a replayed callback URL are refused,
//   4. the accounts page carries no client secret and no refresh token,
//   5. first run: a bridge without a Spotify app gets one typed into its page, then links,
//   6. reached at the machine's LAN address, linking needs the setup code from the log,
//   7. behind a fake of Home Assistant's ingress proxy (the add-on): every link and form keeps
//      the X-Ingress-Path prefix, the browser's own requests are refused, linking ends by pasting.
// The account's state must then appear on MQTT (retained spotify2mqtt/<name>, "playing").
//
// Usage: node link.e2e.mjs [BIN_DIR]
// Environment:
//   S2M_BIN_DIR          where spotify2mqtt and fake_spotify are (or the first argument)
//   S2M_E2E_ARTIFACTS    screenshots and logs [<repo>/test-artifacts/e2e]
//   S2M_CHROMIUM         the browser [/usr/bin/chromium]
//   S2M_MOSQUITTO        the broker [/usr/sbin/mosquitto]
//   S2M_E2E_REQUIRED=1   a missing chromium or node_modules fails instead of skipping (CI)
//   S2M_DOC_IMAGES=DIR   also write the documentation's pictures there (docs/images: the README
//                        shows account-page.png)
// Exit status: 0 passed, 1 failed, 77 skipped (chromium or node_modules absent; ctest's
// SKIP_RETURN_CODE).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const SKIP = 77;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const BIN_DIR = process.argv[2] || process.env.S2M_BIN_DIR || path.join(REPO, 'build', 'bin');
const ARTIFACTS = process.env.S2M_E2E_ARTIFACTS || path.join(REPO, 'test-artifacts', 'e2e');
const CHROMIUM = process.env.S2M_CHROMIUM || '/usr/bin/chromium';
const MOSQUITTO = process.env.S2M_MOSQUITTO || '/usr/sbin/mosquitto';
const MOSQUITTO_SUB = process.env.S2M_MOSQUITTO_SUB || 'mosquitto_sub';
const REQUIRED = process.env.S2M_E2E_REQUIRED === '1';
const DOC_IMAGES = process.env.S2M_DOC_IMAGES || '';

// ---- skip when the browser side is not installed -------------------------------------------

function skipOrFail(reason) {
  if (REQUIRED) {
    console.error(`e2e: FAIL: ${reason} (S2M_E2E_REQUIRED=1)`);
    process.exit(1);
  }
  console.log(`e2e: SKIP: ${reason}`);
  process.exit(SKIP);
}

if (!fs.existsSync(CHROMIUM)) {
  skipOrFail(`${CHROMIUM} is missing (apt-get install chromium, or scripts/install-deps.sh)`);
}
try {
  createRequire(path.join(HERE, 'package.json')).resolve('playwright-core');
} catch {
  skipOrFail(`playwright-core is not installed: run "npm ci" in ${HERE}`);
}
for (const binary of ['spotify2mqtt', 'fake_spotify']) {
  if (!fs.existsSync(path.join(BIN_DIR, binary))) {
    console.error(`e2e: FAIL: ${path.join(BIN_DIR, binary)} is missing: build it first`);
    process.exit(1);
  }
}

const { chromium } = await import('playwright-core');
const { describe, it, before, after } = await import('node:test');

// ---- processes -----------------------------------------------------------------------------

const children = new Set(); // every process this run started, ended by PID in cleanup()

// A child whose stdout and stderr go to one log file in ARTIFACTS.
class Child {
  constructor(name, argv, logName, options = {}) {
    this.name = name;
    this.logFile = path.join(ARTIFACTS, logName);
    const fd = fs.openSync(this.logFile, 'a');
    this.proc = spawn(argv[0], argv.slice(1), {
      stdio: ['ignore', fd, fd],
      env: childEnv(),
      ...options,
    });
    fs.closeSync(fd);
    this.exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.once('error', (e) => fs.appendFileSync(this.logFile, `spawn error: ${e}\n`));
    children.add(this);
  }

  get running() {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  log() {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  // SIGTERM, then SIGKILL when it does not end within timeoutMs; by PID only.
  async stop(timeoutMs = 5000) {
    if (this.running) {
      this.proc.kill('SIGTERM');
      const ended = await Promise.race([this.exited.then(() => true), sleep(timeoutMs)]);
      if (!ended && this.running) {
        this.proc.kill('SIGKILL');
        await this.exited;
      }
    }
    children.delete(this);
  }
}

// The children must not pick up a developer's SPOTIFY2MQTT__* overrides.
function childEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('SPOTIFY2MQTT')) delete env[key];
  return env;
}

async function cleanup() {
  await Promise.all([...children].map((c) => c.stop()));
}

// Last resort (a thrown error outside the tests, ctest's timeout): no child outlives us.
process.on('exit', () => {
  for (const c of children) if (c.running) c.proc.kill('SIGKILL');
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.error(`e2e: ${signal}: stopping the processes this run started`);
    for (const c of children) if (c.running) c.proc.kill('SIGKILL');
    process.exit(1);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ctest's TIMEOUT (180 s) may end us with SIGKILL, which no handler sees: stop well before it.
const WATCHDOG_S = Number(process.env.S2M_E2E_WATCHDOG_S || 160);
setTimeout(() => {
  console.error(`e2e: FAIL: still running after ${WATCHDOG_S} s; stopping the processes this run started`);
  for (const c of children) if (c.running) c.proc.kill('SIGKILL');
  process.exit(1);
}, WATCHDOG_S * 1000).unref();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(what, check, child, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    if (child && !child.running) {
      throw new Error(`${child.name} exited (${child.proc.exitCode ?? child.proc.signalCode}) ` +
        `before ${what}; its log:\n${child.log()}`);
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}` + (child ? `; ${child.name}'s log:\n${child.log()}` : ''));
}

// ---- the three servers ---------------------------------------------------------------------

async function startMosquitto(dir) {
  // The free port can be taken by someone else before mosquitto binds it: try a few.
  for (let attempt = 1; attempt <= 5; ++attempt) {
    const port = await freePort();
    const conf = path.join(dir, 'mosquitto.conf');
    fs.writeFileSync(conf, [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest stderr',
      'log_type all',
      'connection_messages true',
      // As root, mosquitto would switch to the `mosquitto` user.
      ...(process.getuid && process.getuid() === 0 ? ['user root'] : []),
      '',
    ].join('\n'));
    const child = new Child('mosquitto', [MOSQUITTO, '-c', conf], 'mosquitto.log');
    try {
      await waitFor(`mosquitto on port ${port}`, () => portOpen(port), child);
      return { child, port };
    } catch (e) {
      await child.stop();
      if (attempt === 5) throw e;
    }
  }
}

async function startFake(dir, redirectUri) {
  const portFile = path.join(dir, 'fake_spotify.port');
  const child = new Child('fake_spotify', [
    path.join(BIN_DIR, 'fake_spotify'), '--listen', '127.0.0.1:0', '--port-file', portFile,
    '--redirect-uri', redirectUri,
  ], 'fake_spotify.log');
  const port = await waitFor('fake_spotify\'s port file', () => {
    try {
      const text = fs.readFileSync(portFile, 'utf8').trim();
      return /^\d+$/.test(text) ? Number(text) : null;
    } catch {
      return null;
    }
  }, child);
  return { child, port, base: `http://127.0.0.1:${port}` };
}

// `app`: the spotify.client_id/client_secret to configure (null: none, the page asks for one);
// `listenHost`: where the page listens (0.0.0.0 to be reached over the LAN).
async function startBridge(dir, { mqttPort, fakePort, webPort, name = 'bridge',
  app = { client_id: 'fake-client-id', client_secret: 'fake-client-secret' },
  listenHost = '127.0.0.1', web = {} }) {
  const config = {
    // A second bridge on the broker needs its own session and topics.
    mqtt: name === 'bridge' ? { url: `mqtt://127.0.0.1:${mqttPort}`, client_id: 's2m-e2e' }
      : { url: `mqtt://127.0.0.1:${mqttPort}`, client_id: `s2m-e2e-${name}`, base_topic: name },
    spotify: {
      ...(app || {}),
      api_url: `http://127.0.0.1:${fakePort}/v1`,
      accounts_url: `http://127.0.0.1:${fakePort}`,
      redirect_uri: `http://127.0.0.1:${webPort}/callback`,
    },
    web: { listen: `${listenHost}:${webPort}`, ...web },
    state_dir: path.join(dir, `${name}-state`),
    log_level: 'debug',
  };
  const configFile = path.join(dir, `${name}-config.json`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
  fs.copyFileSync(configFile, path.join(ARTIFACTS, `${name}-config.json`));
  const child = new Child(name,
    [path.join(BIN_DIR, 'spotify2mqtt'), 'run', '--config', configFile], `${name}.log`);
  await waitFor(`the bridge's page on port ${webPort}`, () => portOpen(webPort), child);
  return { child, base: `http://127.0.0.1:${webPort}`, port: webPort };
}

async function control(fake, method, route, body) {
  const response = await fetch(fake.base + route, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${route} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

function userSpec(id, displayName) {
  const track = `spotify:track:e2e${id}`;
  return {
    id,
    display_name: displayName,
    refresh_token: `rt-${id}`,
    tracks: [{ uri: track, name: `Song for ${displayName}`, artist: 'Artist', album: 'Album',
      duration_ms: 180000 }],
    playlists: [{ id: `pl${id}`, name: `${displayName}'s list`, tracks: [track] }],
    playback: { context_uri: `spotify:playlist:pl${id}`, device_id: 'fake-device-speaker',
      is_playing: true },
  };
}

// The first payload on `topic` that satisfies `predicate` (retained ones included), read with
// mosquitto_sub; every payload seen is appended to mqtt.log.
function waitForMqtt(mqttPort, topic, predicate, timeoutS = 20) {
  const child = new Child('mosquitto_sub', [MOSQUITTO_SUB, '-h', '127.0.0.1', '-p', String(mqttPort),
    '-t', topic, '-W', String(timeoutS)], 'mosquitto_sub.log', { stdio: ['ignore', 'pipe', 'pipe'] });
  const seen = [];
  return new Promise((resolve, reject) => {
    let done = false;
    child.proc.stderr.on('data', (d) => fs.appendFileSync(child.logFile, d));
    readline.createInterface({ input: child.proc.stdout }).on('line', (line) => {
      fs.appendFileSync(path.join(ARTIFACTS, 'mqtt.log'), `${topic} ${line}\n`);
      seen.push(line);
      let payload = null;
      try {
        payload = JSON.parse(line);
      } catch {
        return;
      }
      if (!done && predicate(payload)) {
        done = true;
        child.stop().then(() => resolve(payload));
      }
    });
    child.exited.then(() => {
      children.delete(child);
      if (!done) {
        done = true;
        reject(new Error(`no matching message on ${topic} within ${timeoutS} s; seen:\n` +
          (seen.length ? seen.join('\n') : '(nothing)') + `\nmosquitto_sub: ${child.log()}`));
      }
    });
  });
}

// ---- the browser ---------------------------------------------------------------------------

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

async function screenshot(page, name) {
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// An IPv4 address of this machine other than loopback, for reaching the page as another machine
// on the LAN would; undefined when it has none.
function lanAddress() {
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const entry of entries || []) {
      if (entry.family === 'IPv4' && !entry.internal) return entry.address;
    }
  }
  return undefined;
}

// Home Assistant's ingress as the Supervisor runs it: requests under `prefix` go to the bridge
// from `proxyAddress` with an X-Ingress-Path header and the browser's other headers (Host,
// Origin) as they were; answers (redirects too) come back unchanged.
async function startIngressProxy(prefix, bridgePort, proxyAddress) {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    if (req.url !== prefix && !req.url.startsWith(prefix + '/')) {
      res.writeHead(404).end();
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: bridgePort, localAddress: proxyAddress,
      method: req.method, path: req.url.slice(prefix.length) || '/',
      headers: { ...req.headers, 'x-ingress-path': prefix } }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${port}${prefix}` };
}

// ---- the tests -----------------------------------------------------------------------------

const env = {}; // the servers, the browser and what one test leaves for the next

describe('e2e: link accounts in a real browser', { concurrency: 1 }, () => {
  before(async () => {
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    env.dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2m-e2e-'));
    env.mqtt = await startMosquitto(env.dir);
    const webPort = await freePort();
    env.callback = `http://127.0.0.1:${webPort}/callback`;
    env.fake = await startFake(env.dir, env.callback);
    for (const [id, name] of [['anna', 'Anna'], ['ben', 'Ben']]) {
      await control(env.fake, 'POST', '/_control/users', userSpec(id, name));
    }
    env.bridge = await startBridge(env.dir, { mqttPort: env.mqtt.port, fakePort: env.fake.port,
      webPort });
    env.context = await chromium.launchPersistentContext(path.join(env.dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1000, height: 800 },
      timeout: 60000,
    });
    env.context.setDefaultTimeout(20000);
    env.page = env.context.pages()[0] || await env.context.newPage();
    const browserLog = path.join(ARTIFACTS, 'browser.log');
    env.page.on('console', (m) => fs.appendFileSync(browserLog, `console.${m.type()}: ${m.text()}\n`));
    env.page.on('framenavigated', (f) => {
      if (f === env.page.mainFrame()) fs.appendFileSync(browserLog, `navigated: ${f.url()}\n`);
    });
    // What the bridge's Origin check sees of each form the browser posts.
    env.page.on('request', (r) => {
      if (r.method() === 'GET') return;
      r.allHeaders().then((h) => fs.appendFileSync(browserLog, `${r.method()} ${r.url()} ` +
        `(Origin: ${h.origin ?? '-'}, Sec-Fetch-Site: ${h['sec-fetch-site'] ?? '-'})\n`),
      () => {});
    });
    env.page.on('response', (r) => {
      if (r.request().method() !== 'GET' || r.status() >= 300) {
        fs.appendFileSync(browserLog, `  -> ${r.status()} ${r.url()}\n`);
      }
    });
  });

  after(async () => {
    try {
      if (env.context) await env.context.close();
    } finally {
      await cleanup();
      if (env.dir) fs.rmSync(env.dir, { recursive: true, force: true });
      console.log(`e2e: screenshots and logs in ${ARTIFACTS}`);
    }
  });

  // A failed step leaves a picture of where the browser was.
  async function step(name, body) {
    try {
      await body(env.page);
    } catch (e) {
      if (env.page) await screenshot(env.page, `failure-${name}.png`).catch(() => {});
      throw e;
    }
  }

  // Clicks `selector`, which submits one of the bridge's own forms (POST `route`), and fails
  // with what the bridge answered when it refuses it.
  async function submitBridgeForm(page, selector, route, base = env.bridge.base) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' &&
        r.url() === base + route),
      page.click(selector),
    ]);
    if (response.status() === 403 || response.status() === 421) {
      const headers = await response.request().allHeaders();
      const html = await response.text().catch(() => '');
      const message = (html.match(/id="message">([^<]*)</) || [])[1];
      assert.fail(`the bridge refused its own form (${selector}, POST ${route}) with ` +
        `${response.status()}: "${message}"; the browser sent Origin: ${headers.origin ?? '(none)'}` +
        `, Sec-Fetch-Site: ${headers['sec-fetch-site'] ?? '(none)'}`);
    }
    return response;
  }

  // Bridge page -> "Link a Spotify account" -> the fake's consent page with `user` chosen.
  async function startLink(page, account, user) {
    await page.goto(env.bridge.base + '/');
    await page.fill('#account', account);
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(env.fake.base + '/authorize')),
      submitBridgeForm(page, '#link', '/link'),
    ]);
    const authorize = new URL(page.url());
    assert.equal(authorize.searchParams.get('client_id'), 'fake-client-id');
    assert.equal(authorize.searchParams.get('redirect_uri'), env.callback);
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.ok(authorize.searchParams.get('state'), 'the authorize URL carries a state');
    await page.selectOption('select[name="user"]', user);
    return authorize;
  }

  async function expectPlaying(account, baseTopic = 'spotify2mqtt') {
    const state = await waitForMqtt(env.mqtt.port, `${baseTopic}/${account}`,
      (p) => p && p.state === 'playing');
    assert.equal(state.state, 'playing');
    assert.equal(state.track && state.track.uri, `spotify:track:e2e${account}`);
    return state;
  }

  async function expectLinkedCard(page, account) {
    await page.goto(env.bridge.base + '/');
    const card = page.locator(`#account-${account}`);
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /\blinked\b/, `#account-${account} says linked: ${text}`);
    assert.doesNotMatch(text, /needs re-link|not linked/, `#account-${account}: ${text}`);
    assert.match(text, /Premium/, `#account-${account} shows Premium: ${text}`);
    assert.equal(await card.getByRole('button', { name: 'Unlink' }).count(), 1,
      `#account-${account} has an Unlink button`);
  }

  it('links an account from the page (bridge -> consent -> Agree -> callback)', () =>
    step('link', async (page) => {
      const authorize = await startLink(page, 'anna', 'anna');
      await screenshot(page, 'consent-page.png');
      await Promise.all([
        page.waitForURL((u) => u.href.startsWith(env.callback)),
        page.click('#agree'),
      ]);
      const callback = new URL(page.url());
      assert.ok(callback.searchParams.get('code'), `the callback carries a code: ${callback}`);
      assert.equal(callback.searchParams.get('state'), authorize.searchParams.get('state'));
      env.successUrl = callback.href;
      assert.equal(await page.title(), 'Account linked');
      assert.match(await page.locator('#message').innerText(), /You can close this window\./);
      await screenshot(page, 'success-page.png');

      await expectPlaying('anna');
      await expectLinkedCard(page, 'anna');
      await screenshot(page, 'accounts-page.png');
    }));

  it('finishes a link from a pasted callback URL when the browser cannot reach the bridge', () =>
    step('paste', async (page) => {
      await startLink(page, 'ben', 'ben');
      // A headless bridge: the browser cannot reach its callback. The consent form's POST is
      // sent on (outside the browser) to learn where the fake sends the browser (the 303's
      // Location, which a person copies from the address bar), and the browser's own request
      // fails as against an unreachable host. (page.route on the callback URL itself does not
      // see it: Playwright does not hand redirect hops to route handlers.)
      let sentTo;
      await page.route((u) => u.href === env.fake.base + '/authorize/decision', async (route) => {
        const response = await route.fetch({ maxRedirects: 0 });
        sentTo = response.headers().location;
        fs.appendFileSync(path.join(ARTIFACTS, 'browser.log'),
          `  (decision answered ${response.status()}, Location ${sentTo}; browser's request aborted)\n`);
        await route.abort('connectionrefused');
      });
      await page.click('#agree');
      await waitFor('the consent page\'s redirect to the bridge', () => sentTo, null, 15000);
      await page.unrouteAll();
      assert.ok(sentTo.startsWith(env.callback + '?'), `sent to the bridge's callback: ${sentTo}`);
      await page.waitForLoadState().catch(() => {});
      await screenshot(page, 'paste-unreachable-callback.png');
      assert.match(sentTo, /[?&]code=/);
      assert.match(sentTo, /[?&]state=/);

      await page.goto(env.bridge.base + '/');
      await page.fill('#pasted-url', sentTo);
      await Promise.all([
        page.waitForURL(env.bridge.base + '/link/paste'),
        submitBridgeForm(page, '#finish', '/link/paste'),
      ]);
      await screenshot(page, 'paste-success-page.png');
      assert.equal(await page.title(), 'Account linked');
      assert.match(await page.locator('#message').innerText(), /You can close this window\./);

      await expectPlaying('ben');
      await expectLinkedCard(page, 'ben');
    }));

  it('refuses a forged state and a replayed callback URL', () =>
    step('refuse', async (page) => {
      const forged = await page.goto(`${env.bridge.base}/callback?code=x&state=forged`);
      assert.ok(forged.status() >= 400, `a forged callback answers an error, not ${forged.status()}`);
      assert.equal(await page.title(), 'Linking failed');
      assert.match(await page.locator('#message').innerText(), /unknown or has expired/);
      await screenshot(page, 'forged-state-page.png');

      assert.ok(env.successUrl, 'the first test reached the callback');
      const replayed = await page.goto(env.successUrl);
      assert.ok(replayed.status() >= 400, `a replayed callback answers an error, not ${replayed.status()}`);
      assert.equal(await page.title(), 'Linking failed');
      await screenshot(page, 'replayed-callback-page.png');
      // The refused replay leaves the linked account alone.
      await expectLinkedCard(page, 'anna');
    }));

  it('shows no client secret and no refresh token on the accounts page', () =>
    step('secrets', async (page) => {
      const secrets = ['fake-client-secret'];
      for (const id of ['anna', 'ben']) {
        const user = await control(env.fake, 'GET', `/_control/users/${id}`);
        assert.ok(user.refresh_token, `the fake issued ${id} a refresh token`);
        secrets.push(user.refresh_token, ...(user.refresh_tokens || []), `rt-${id}`);
      }
      await page.goto(env.bridge.base + '/');
      const rendered = await page.content();
      const served = await (await fetch(env.bridge.base + '/')).text();
      assert.ok(served.includes('id="account-anna"'), 'the page lists anna (linked by the first test)');
      for (const secret of new Set(secrets)) {
        assert.ok(!served.includes(secret), `the page's HTML contains ${secret}`);
        assert.ok(!rendered.includes(secret), `the rendered page contains ${secret}`);
      }
    }));

  // The README's picture of what a user gets, taken from this run's page with two linked
  // accounts: regenerate with S2M_DOC_IMAGES=docs/images (docs/development.md).
  it('draws the documentation\'s picture of the account page', {
    skip: DOC_IMAGES ? false : 'S2M_DOC_IMAGES is not set',
  }, () => step('doc-images', async (page) => {
    await page.setViewportSize({ width: 900, height: 700 });
    await expectLinkedCard(page, 'anna');
    await page.locator('#account-ben').waitFor();
    fs.mkdirSync(DOC_IMAGES, { recursive: true });
    await page.screenshot({ path: path.join(DOC_IMAGES, 'account-page.png'), fullPage: true });
  }));

  // A second bridge, with no Spotify app in its config: the page asks for one first.
  it('first run: the Spotify app is typed into the page, then an account links with it', () =>
    step('first-run', async (page) => {
      const webPort = await freePort();
      const callback = `http://127.0.0.1:${webPort}/callback`;
      await control(env.fake, 'POST', '/_control/apps', { client_id: 'typed-app-id',
        client_secret: 'typed-app-secret', redirect_uris: [callback] });
      await control(env.fake, 'POST', '/_control/users', userSpec('cleo', 'Cleo'));
      const bridge = await startBridge(env.dir, { mqttPort: env.mqtt.port, fakePort: env.fake.port,
        webPort, name: 'firstrun', app: null });
      try {
        await page.goto(bridge.base + '/');
        await page.locator('#spotify-app').waitFor();
        assert.ok(await page.locator('#link').isDisabled(), 'no link before there is an app');
        await screenshot(page, 'first-run-form.png');
        if (DOC_IMAGES) { // the README's picture of the first run (docs/development.md)
          await page.setViewportSize({ width: 900, height: 700 });
          fs.mkdirSync(DOC_IMAGES, { recursive: true });
          await page.screenshot({ path: path.join(DOC_IMAGES, 'first-run-form.png'), fullPage: true });
        }
        await page.fill('#client-id', 'typed-app-id');
        await page.fill('#client-secret', 'typed-app-secret');
        const saved = await submitBridgeForm(page, '#save-app', '/app', bridge.base);
        assert.equal(saved.status(), 200);
        assert.match(await page.locator('#app-source').innerText(), /entered on this page/);
        assert.equal(await page.locator('#app-client-id').innerText(), 'typed-app-id');
        assert.ok(!(await page.content()).includes('typed-app-secret'), 'the secret is not shown');
        await screenshot(page, 'first-run-saved.png');

        await page.fill('#account', 'cleo');
        await Promise.all([
          page.waitForURL((u) => u.href.startsWith(env.fake.base + '/authorize')),
          submitBridgeForm(page, '#link', '/link', bridge.base),
        ]);
        assert.equal(new URL(page.url()).searchParams.get('client_id'), 'typed-app-id');
        await page.selectOption('select[name="user"]', 'cleo');
        await Promise.all([
          page.waitForURL((u) => u.href.startsWith(callback)),
          page.click('#agree'),
        ]);
        assert.equal(await page.title(), 'Account linked');
        await expectPlaying('cleo', 'firstrun');
        assert.ok(!bridge.child.log().includes('typed-app-secret'), 'the secret is not logged');
      } finally {
        await bridge.child.stop();
      }
    }));

  // A bridge on 0.0.0.0 reached at the machine's LAN address: another machine, to the bridge.
  it('over the LAN address, linking needs the setup code from the log', (t) => {
    const lan = lanAddress();
    if (!lan) {
      t.skip('this machine has no non-loopback IPv4 address');
      return undefined;
    }
    return step('setup-code', async (page) => {
      const webPort = await freePort();
      const callback = `http://127.0.0.1:${webPort}/callback`;
      await control(env.fake, 'POST', '/_control/apps', { client_id: 'lan-app-id',
        client_secret: null, redirect_uris: [callback] });
      await control(env.fake, 'POST', '/_control/users', userSpec('dora', 'Dora'));
      const bridge = await startBridge(env.dir, { mqttPort: env.mqtt.port, fakePort: env.fake.port,
        webPort, name: 'lan', app: { client_id: 'lan-app-id' }, listenHost: '0.0.0.0' });
      try {
        const code = await waitFor('the setup code in the log',
          () => (bridge.child.log().match(/need the setup code ([a-z2-9]{12})/) || [])[1],
          bridge.child);
        const base = `http://${lan}:${webPort}`;
        const codeField = 'form:has(#account) input[name="setup_code"]';
        await page.goto(base + '/');
        await page.fill('#account', 'dora');
        await page.fill(codeField, 'wrong-guess');
        await screenshot(page, 'lan-setup-code-field.png');
        const [refused] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === base + '/link'),
          page.click('#link'),
        ]);
        assert.equal(refused.status(), 403);
        assert.equal(await page.title(), 'Wrong setup code');
        await screenshot(page, 'lan-wrong-setup-code.png');

        await sleep(1500); // a wrong code holds the next try back for 1 s
        await page.goto(base + '/');
        await page.fill('#account', 'dora');
        await page.fill(codeField, code);
        await Promise.all([
          page.waitForURL((u) => u.href.startsWith(env.fake.base + '/authorize')),
          page.click('#link'),
        ]);
        await page.selectOption('select[name="user"]', 'dora');
        await Promise.all([
          page.waitForURL((u) => u.href.startsWith(callback)),
          page.click('#agree'),
        ]);
        assert.equal(await page.title(), 'Account linked');
        await expectPlaying('dora', 'lan');
      } finally {
        await bridge.child.stop();
      }
    });
  });
  it('behind Home Assistant\'s ingress: links and forms keep the prefix, linking ends by pasting', () =>
    step('ingress', async (page) => {
      const webPort = await freePort();
      const callback = `http://127.0.0.1:${webPort}/callback`;
      await control(env.fake, 'POST', '/_control/apps', { client_id: 'ingress-app-id',
        client_secret: null, redirect_uris: [callback] });
      await control(env.fake, 'POST', '/_control/users', userSpec('erik', 'Erik'));
      // The proxy connects from 127.0.0.2; the browser reaches the bridge itself from 127.0.0.1.
      const bridge = await startBridge(env.dir, { mqttPort: env.mqtt.port, fakePort: env.fake.port,
        webPort, name: 'ingress', app: { client_id: 'ingress-app-id' },
        web: { ingress: true, ingress_proxy: '127.0.0.2' } });
      const prefix = '/api/hassio_ingress/e2eT0ken_-x';
      const proxy = await startIngressProxy(prefix, webPort, '127.0.0.2');
      try {
        // Every link and form of the page in the browser (Spotify's own pages excepted).
        const expectPrefixed = async (atLeast) => {
          const addresses = await page.$$eval('a[href], form[action]',
            (nodes) => nodes.map((n) => n.getAttribute('href') ?? n.getAttribute('action')));
          assert.ok(addresses.length >= atLeast, `the page has links and forms: ${addresses}`);
          for (const address of addresses.filter((a) => !a.startsWith('https://'))) {
            assert.ok(address.startsWith(prefix + '/'), `${address} keeps the ingress prefix`);
          }
        };
        await page.goto(proxy.base + '/');
        await expectPrefixed(2); // link, paste
        assert.match(await page.locator('#ingress-paste').innerText(), /paste it here/);
        await screenshot(page, 'ingress-page.png');

        // Spotify opens in a new tab; its redirect reaches the bridge from the browser itself,
        // not through the proxy, and is refused: the person pastes the address instead.
        await page.fill('#account', 'erik');
        const [consent] = await Promise.all([page.context().waitForEvent('page'), page.click('#link')]);
        await consent.waitForURL((u) => u.href.startsWith(env.fake.base + '/authorize'));
        await consent.selectOption('select[name="user"]', 'erik');
        const [refused] = await Promise.all([
          consent.waitForResponse((r) => r.url().startsWith(callback + '?')),
          consent.click('#agree'),
        ]);
        assert.equal(refused.status(), 403, 'the bridge refuses a request not from the proxy');
        const sentTo = consent.url();
        await consent.close();

        await page.fill('#pasted-url', sentTo);
        await Promise.all([
          page.waitForURL(proxy.base + '/link/paste'),
          submitBridgeForm(page, '#finish', '/link/paste', proxy.base),
        ]);
        assert.equal(await page.title(), 'Account linked');
        await Promise.all([page.waitForURL(proxy.base + '/'), page.click('text=Back to the accounts')]);
        assert.match(await page.locator('#account-erik').innerText(), /\blinked\b/);
        await expectPrefixed(3); // and erik's unlink form
        await expectPlaying('erik', 'ingress');
      } finally {
        proxy.server.close();
        await bridge.child.stop();
      }
    }));

  it('an account linked before the listening scopes is asked to link again, and keeps its name', () =>
    step('scopes-upgrade', async (page) => {
      // Linked as an older bridge did: the consent asked for fewer scopes. The bridge's
      // authorize URL is edited to today's list minus what 2026-12 added.
      await control(env.fake, 'POST', '/_control/users', userSpec('cleo', 'Cleo'));
      const authorize = await startLink(page, 'cleo', 'cleo');
      const added = ['playlist-modify-private', 'playlist-modify-public',
        'user-read-recently-played', 'user-top-read', 'user-follow-read'];
      const all = authorize.searchParams.get('scope').split(' ');
      for (const scope of added) assert.ok(all.includes(scope), `a new link asks for ${scope}`);
      authorize.searchParams.set('scope', all.filter((s) => !added.includes(s)).join(' '));
      await page.goto(authorize.href);
      await page.selectOption('select[name="user"]', 'cleo');
      await Promise.all([page.waitForURL((u) => u.href.startsWith(env.callback)), page.click('#agree')]);
      assert.equal(await page.title(), 'Account linked');
      const first = await expectPlaying('cleo');

      const missing = await waitForMqtt(env.mqtt.port, 'spotify2mqtt/cleo/diagnostics',
        (d) => d && Array.isArray(d.missing_scopes) && d.missing_scopes.length > 0);
      assert.deepEqual([...missing.missing_scopes].sort(), [...added].sort());
      await page.goto(env.bridge.base + '/');
      const card = page.locator('#account-cleo');
      assert.match(await card.innerText(), /Link again to allow playlist changes and history/);
      await screenshot(page, 'scopes-upgrade-asked.png');

      // "Link again" on the card: the full list this time, the same account name.
      await Promise.all([
        page.waitForURL((u) => u.href.startsWith(env.fake.base + '/authorize')),
        card.getByRole('button', { name: 'Link again' }).click(),
      ]);
      const again = new URL(page.url());
      for (const scope of added) assert.ok(again.searchParams.get('scope').split(' ').includes(scope));
      await page.selectOption('select[name="user"]', 'cleo');
      await Promise.all([page.waitForURL((u) => u.href.startsWith(env.callback)), page.click('#agree')]);
      assert.equal(await page.title(), 'Account linked');

      await waitForMqtt(env.mqtt.port, 'spotify2mqtt/cleo/diagnostics',
        (d) => d && Array.isArray(d.missing_scopes) && d.missing_scopes.length === 0);
      const after = await expectPlaying('cleo');
      assert.equal(after.track.uri, first.track.uri, 'the same topic, the same account');
      await expectLinkedCard(page, 'cleo');
      assert.doesNotMatch(await page.locator('#account-cleo').innerText(), /Link again to allow/);
    }));
});
