/**
 * Every example flow in a real Node-RED runtime (its own process, contrib nodes from the
 * devDependencies), deployed together, then driven as a user would see them: the Slack flow posts
 * to a loopback webhook stub, the MQTT flows exchange messages through a real Mosquitto broker,
 * the statistics flow writes CSV and SQLite rows, the signage endpoint answers over HTTP, the
 * dashboard renders its gauge in headless Chromium after the demo clip ran, the editor shows the
 * package's nodes and imports each example, and the counts survive a restart of the runtime with
 * a persistent context store.
 *
 * One runtime and one run of the demo clip (the dashboard example's) serve all of these checks.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import sqlite3 from 'sqlite3';
import { hasChromium, launchChromium, type HeadlessBrowser } from '../support/chromium';
import { demoClip, NO_CLIP_REASON, repoRoot } from '../support/demo-media';
import { waitUntil } from '../support/free-port';
import { startMosquitto, type Broker } from '../support/mosquitto';
import { removeNodeRedFolders, startNodeRed, type NodeRed } from '../support/node-red-process';
import { startWebhookStub, type WebhookStub } from '../support/webhook-stub';

type FlowNode = Record<string, unknown> & { id: string; type: string; z?: string };

/** The demo clip through the whole chain takes ~30 s on 2 busy cores; allow for a loaded machine. */
const CLIP_TIMEOUT_MS = 240_000;
const MESSAGE_TIMEOUT_MS = 20_000;
const SLACK_PATH = '/services/T0000/B0000/test-webhook';
/** 10:00 UTC on 4 March 2024: the statistics rows are read back by these hours. */
const T0 = Date.UTC(2024, 2, 4, 10);
const MIN = 60_000;
/** Frames of the demo clip the dashboard example plays in this test. */
const DASHBOARD_FRAMES = 60;

const EXAMPLE_FILES = readdirSync(join(repoRoot(), 'examples')).filter((f) => f.endsWith('.json'));

function readExample(file: string): FlowNode[] {
  return JSON.parse(readFileSync(join(repoRoot(), 'examples', file), 'utf8')) as FlowNode[];
}

const PACKAGE_TYPES = Object.keys(
  (
    JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
      'node-red': { nodes: Record<string, string> };
    }
  )['node-red'].nodes,
);

function counterOf(flow: FlowNode[]): FlowNode {
  return flow.find((n) => n.type === 'compliance-counter')!;
}

function tabOf(flow: FlowNode[]): string {
  return flow.find((n) => n.type === 'tab')!.id;
}

/**
 * Test-only nodes added to an example's tab: `POST /test/feed/<counter id>` with `{ frames }`
 * sends each frame to the example's counter (wires cannot cross tabs, so they live there).
 */
function feeder(flow: FlowNode[]): FlowNode[] {
  const counter = counterOf(flow);
  const z = tabOf(flow);
  const id = counter.id;
  return [
    {
      id: `${id}-in`,
      type: 'http in',
      z,
      url: `/test/feed/${id}`,
      method: 'post',
      upload: false,
      swaggerDoc: '',
      wires: [[`${id}-split`]],
    },
    {
      id: `${id}-split`,
      type: 'function',
      z,
      func:
        'const frames = msg.payload.frames;\n' +
        'msg.payload = { fed: frames.length };\n' +
        'return [frames, msg];',
      outputs: 2,
      wires: [[id], [`${id}-res`]],
    },
    { id: `${id}-res`, type: 'http response', z, statusCode: '', headers: {}, wires: [] },
  ];
}

/** A test tab whose counter answers each POSTed frame with its summary (for the restart). */
function restartTab(): FlowNode[] {
  const z = 'test0restart0tab';
  return [
    { id: z, type: 'tab', label: 'restart check' },
    {
      id: 'test0restart0in',
      type: 'http in',
      z,
      url: '/test/restart',
      method: 'post',
      wires: [['test0restart0fn']],
    },
    {
      id: 'test0restart0fn',
      type: 'function',
      z,
      func: 'Object.assign(msg, msg.payload);\nmsg.payload = null;\nreturn msg;',
      outputs: 1,
      wires: [['test0restart0cc']],
    },
    {
      id: 'test0restart0cc',
      type: 'compliance-counter',
      z,
      minVotes: 1,
      minScore: 0.6,
      timeZone: 'UTC',
      wires: [['test0restart0res'], [], []],
    },
    { id: 'test0restart0res', type: 'http response', z, statusCode: '', headers: {}, wires: [] },
  ];
}

/** On the dashboard tab: remembers when the clip's video-source reports `end`. */
function clipEndProbe(flow: FlowNode[]): FlowNode[] {
  const z = tabOf(flow);
  const source = flow.find((n) => n.type === 'video-source')!;
  (source.wires as string[][])[1].push('test0clip0ended0');
  return [
    {
      id: 'test0clip0ended0',
      type: 'function',
      z,
      func: "if (msg.payload.event === 'end') global.set('clipEnded', true);\nreturn null;",
      outputs: 1,
      wires: [[]],
    },
    {
      id: 'test0clip0query0',
      type: 'http in',
      z,
      url: '/test/clip-ended',
      method: 'get',
      wires: [['test0clip0answer']],
    },
    {
      id: 'test0clip0answer',
      type: 'function',
      z,
      func: "msg.payload = { ended: global.get('clipEnded') === true };\nreturn msg;",
      outputs: 1,
      wires: [['test0clip0res000']],
    },
    { id: 'test0clip0res000', type: 'http response', z, statusCode: '', headers: {}, wires: [] },
  ];
}

interface Person {
  id: number;
  label: 'mask' | 'no_mask';
  /** Horizontal position of the person, as a fraction of the frame width. */
  x?: number;
}

/** `count` frames, 200 ms apart from `startMs`, in which every listed person shows their face. */
function frames(topic: string, startMs: number, count: number, people: Person[]) {
  return Array.from({ length: count }, (_, i) => ({
    topic,
    frame: { index: i, timestampMs: startMs + i * 200, width: 640, height: 360 },
    tracks: people.map((p) => {
      const cx = (p.x ?? (p.id % 10) / 10 + 0.05) * 640;
      const box = { x1: cx - 20, y1: 100, x2: cx + 20, y2: 300 };
      return { id: p.id, box, velocity: { x: 0, y: 0 }, state: 'confirmed', age: 9, hits: 9 };
    }),
    faces: people.map((p) => ({
      trackId: p.id,
      box: { x1: 0, y1: 0, x2: 20, y2: 20 },
      view: 'frontal',
      verdict: { label: p.label, score: 0.9 },
    })),
  }));
}

/** Two masked and four unmasked people: 67 % unmasked, enough people to raise the alert. */
const CROWD: Person[] = [
  { id: 1, label: 'mask' },
  { id: 2, label: 'mask' },
  { id: 3, label: 'no_mask' },
  { id: 4, label: 'no_mask' },
  { id: 5, label: 'no_mask' },
  { id: 6, label: 'no_mask' },
];

/** Resolves with the first message on `topic` whose payload passes `accept`. */
function nextMqttMessage(
  client: MqttClient,
  topic: string,
  accept: (payload: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no matching message on ${topic} within ${MESSAGE_TIMEOUT_MS} ms`)),
      MESSAGE_TIMEOUT_MS,
    );
    client.on('message', (t, buf) => {
      if (t !== topic) return;
      const payload = JSON.parse(String(buf)) as Record<string, unknown>;
      if (!accept(payload)) return;
      clearTimeout(timer);
      resolve(payload);
    });
    client.subscribe(topic);
  });
}

function sqliteRows(path: string, sql: string): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err);
      db.all(sql, (e, rows) => {
        db.close();
        if (e) reject(e);
        else resolve(rows as Record<string, unknown>[]);
      });
    });
  });
}

describe('example flows in a real Node-RED runtime', function () {
  this.timeout(CLIP_TIMEOUT_MS + 60_000);
  let red: NodeRed;
  let broker: Broker | undefined;
  let stub: WebhookStub;
  let mqttClient: MqttClient | undefined;
  let chromium: HeadlessBrowser | undefined;
  const examples = new Map(EXAMPLE_FILES.map((f) => [f, readExample(f)]));
  const deployed: FlowNode[] = [];

  before(async function () {
    if (demoClip('corridor-masked-person') === undefined) {
      console.warn(`    skipped: ${NO_CLIP_REASON}`);
      this.skip();
    }
    broker = await startMosquitto();
    if (!broker) console.warn('    MQTT checks skipped: mosquitto is not installed');
    stub = await startWebhookStub(SLACK_PATH);
    red = await startNodeRed({
      settings: { contextStorage: { default: { module: 'localfilesystem' } } },
      env: { SLACK_WEBHOOK_URL: stub.url, MASKWATCH_SITE: 'site-test' },
    });
    for (const [file, flow] of examples) {
      const patched = JSON.parse(JSON.stringify(flow)) as FlowNode[];
      for (const node of patched) {
        // One clip run serves every check: only the dashboard plays the clip on deploy.
        if (node.type === 'video-source') node.startOnDeploy = file === 'live-dashboard.json';
        if (node.type === 'inject' && node.payload === 'start') node.once = false;
        // The masked person's verdict settles by frame 50 (`maskwatch run --max-frames 50`: four
        // mask votes, none by frame 45: the face reaches 24 px late); 60 frames leave a margin.
        if (node.type === 'video-source') node.maxFrames = DASHBOARD_FRAMES;
        if (node.type === 'mqtt-broker' && broker)
          Object.assign(node, { broker: '127.0.0.1', port: String(broker.port) });
        if (node.type === 'compliance-counter' && file !== 'live-dashboard.json')
          node.timeZone = 'UTC';
      }
      deployed.push(...patched);
      if (file !== 'count-mask-compliance-in-a-video-file.json') deployed.push(...feeder(patched));
      if (file === 'live-dashboard.json') deployed.push(...clipEndProbe(patched));
    }
    deployed.push(...restartTab());
    await red.deploy(deployed);
    await waitUntil(
      () => (red.log().match(/Started flows/g) ?? []).length >= 2,
      'the deploy to start',
      30_000,
    );
    if (broker) {
      mqttClient = mqtt.connect(broker.url);
      await new Promise((resolve) => mqttClient!.once('connect', resolve));
    }
  });

  after(async () => {
    mqttClient?.end(true);
    await chromium?.close();
    await red?.stop();
    await broker?.stop();
    await stub?.stop();
    if (red) removeNodeRedFolders(red);
  });

  const feed = async (file: string, body: unknown[]): Promise<void> => {
    const id = counterOf(examples.get(file)!).id;
    const res = await fetch(`${red.url}/test/feed/${id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ frames: body }),
    });
    expect(res.status).to.equal(200);
  };

  it('deploys every example with no error, no missing node type and every package node used', () => {
    const log = red.log();
    expect(log).not.to.match(/\[error\]/);
    expect(log).not.to.include('Waiting for missing types');
    const used = new Set(deployed.map((n) => n.type));
    for (const type of PACKAGE_TYPES) expect(used, `a flow using ${type}`).to.include(type);
    for (const [file, flow] of examples) {
      const comments = flow.filter(
        (n) => n.type === 'comment' && String(n.info ?? '').length > 100,
      );
      expect(comments, `${file} explains itself in a comment node`).to.have.length.at.least(1);
    }
  });

  it('posts an alert to the Slack webhook named by the environment', async () => {
    await feed('slack-alert.json', frames('door', T0, 4, CROWD));
    await waitUntil(() => stub.requests.length > 0, 'a Slack request', MESSAGE_TIMEOUT_MS);
    expect(stub.requests).to.have.length(1);
    const [req] = stub.requests;
    expect(req.method).to.equal('POST');
    expect(req.url).to.equal(SLACK_PATH);
    expect(req.headers['content-type']).to.match(/^application\/json/);
    expect(JSON.parse(req.body)).to.deep.equal({
      text:
        ':warning: *door*: 67 % of 6 people seen in the last window wore no mask ' +
        '(alert above 30 %).',
    });
  });

  it('shows the sign on its HTTP endpoints and publishes it, retained, over MQTT', async function () {
    const signed = broker
      ? nextMqttMessage(mqttClient!, 'maskwatch/lobby/sign', (p) => p.state === 'mask-up')
      : undefined;
    await feed('signage-http-and-mqtt.json', frames('lobby', T0, 4, CROWD));
    const json = (await (await fetch(`${red.url}/maskwatch/sign.json`)).json()) as unknown[];
    expect(json).to.deep.include({
      camera: 'lobby',
      state: 'mask-up',
      message: 'Please wear a mask',
      complianceRate: 2 / 6,
      people: 6,
    });
    const page = await (await fetch(`${red.url}/maskwatch/sign`)).text();
    expect(page).to.include('<body class="mask-up">Please wear a mask</body>');
    if (!signed) return this.skip();
    expect(await signed).to.include({ camera: 'lobby', state: 'mask-up', people: 6 });
    // A client that connects later still gets the current sign: it is retained.
    const late = mqtt.connect(broker!.url);
    try {
      const retained = await nextMqttMessage(late, 'maskwatch/lobby/sign', () => true);
      expect(retained.state).to.equal('mask-up');
    } finally {
      late.end(true);
    }
  });

  it('writes one CSV row and one SQLite row per camera and hour', async () => {
    const file = 'statistics-log-csv-and-sqlite.json';
    await feed(file, [
      ...frames('entrance', T0 + 5 * MIN, 3, [{ id: 1, label: 'mask' }]),
      ...frames('entrance', T0 + 6 * MIN, 3, [{ id: 2, label: 'no_mask' }]),
      ...frames('entrance', T0 + 61 * MIN, 3, [{ id: 3, label: 'mask' }]),
      { topic: 'entrance', payload: 'flush' },
    ]);
    const csvPath = join(red.workDir, 'maskwatch-compliance.csv');
    const lines = () =>
      existsSync(csvPath) ? readFileSync(csvPath, 'utf8').trim().split('\n') : [];
    await waitUntil(() => lines().length >= 3, 'three CSV lines', MESSAGE_TIMEOUT_MS);
    const [header, closed, open] = lines();
    expect(header).to.equal(
      'camera,period,startMs,endMs,partial,people,mask,no_mask,incorrect,unknown,complianceRate,' +
        'unmaskedFraction,observedMs,blindMs,outages,peoplePerHour',
    );
    // A closed hour without outages was observed whole: 2 people in 1 observed hour.
    expect(closed).to.equal(
      `entrance,2024-03-04T10:00,${T0},${T0 + 60 * MIN},false,2,1,1,0,0,0.5,0.5,${60 * MIN},0,0,2`,
    );
    expect(open.split(',').slice(0, 12)).to.deep.equal(
      ['entrance', '2024-03-04T11:00', `${T0 + 60 * MIN}`, `${T0 + 61 * MIN + 400}`, 'true'].concat(
        ['1', '1', '0', '0', '0', '1', '0'],
      ),
    );
    const dbPath = join(red.workDir, 'maskwatch-compliance.db');
    // The two INSERTs run concurrently: read the rows back in period order.
    const query =
      'SELECT period, partial, people, mask, no_mask, complianceRate FROM compliance ORDER BY period';
    let rows: Record<string, unknown>[] = [];
    await waitUntil(
      async () => (rows = existsSync(dbPath) ? await sqliteRows(dbPath, query) : []).length >= 2,
      'two SQLite rows',
      MESSAGE_TIMEOUT_MS,
    );
    expect(rows).to.deep.equal([
      {
        period: '2024-03-04T10:00',
        partial: 0,
        people: 2,
        mask: 1,
        no_mask: 1,
        complianceRate: 0.5,
      },
      { period: '2024-03-04T11:00', partial: 1, people: 1, mask: 1, no_mask: 0, complianceRate: 1 },
    ]);
  });

  it('sums several cameras published over MQTT into one summary', async function () {
    if (!broker) return this.skip();
    // Summaries go out as the verdicts settle: wait for the one with both cameras settled.
    const total = nextMqttMessage(
      mqttClient!,
      'maskwatch/all/summary',
      (p) => p.cameras === 2 && p.unknown === 0,
    );
    await feed('several-cameras-over-mqtt.json', [
      ...frames('north', T0, 3, [
        { id: 1, label: 'mask' },
        { id: 2, label: 'mask' },
      ]),
      ...frames('south', T0, 3, [
        { id: 1, label: 'mask' },
        { id: 2, label: 'no_mask' },
      ]),
    ]);
    expect(await total).to.deep.equal({
      cameras: 2,
      people: 4,
      mask: 3,
      no_mask: 1,
      incorrect: 0,
      unknown: 0,
      complianceRate: 0.75,
    });
  });

  it('renders the dashboard gauge and serves the live picture after the demo clip ran', async function () {
    await waitUntil(
      async () => {
        const res = await fetch(`${red.url}/test/clip-ended`);
        return ((await res.json()) as { ended: boolean }).ended;
      },
      'the demo clip to end',
      CLIP_TIMEOUT_MS,
      1000,
    );
    const live = await fetch(`${red.url}/maskwatch/live.jpg`);
    expect(live.status).to.equal(200);
    expect(live.headers.get('content-type')).to.equal('image/jpeg');
    const jpeg = Buffer.from(await live.arrayBuffer());
    expect(jpeg.subarray(0, 2)).to.deep.equal(Buffer.from([0xff, 0xd8]));
    if (!hasChromium()) {
      console.warn('    browser check skipped: /usr/bin/chromium is not installed');
      return this.skip();
    }
    chromium = await launchChromium();
    const page = await chromium.context.newPage();
    await page.goto(`${red.url}/dashboard/compliance`);
    const gauge = page.locator('.nrdb-ui-gauge');
    await gauge.waitFor({ timeout: MESSAGE_TIMEOUT_MS });
    await page.waitForFunction(
      () => /100\s*%/.test(document.querySelector('.nrdb-ui-gauge')?.textContent ?? ''),
      undefined,
      { timeout: MESSAGE_TIMEOUT_MS },
    );
    expect(await gauge.textContent()).to.match(/Compliance, last 15 min/);
    const img = page.locator('img[alt="live view"]');
    await page.waitForFunction(
      () =>
        (document.querySelector('img[alt="live view"]') as HTMLImageElement | null)
          ?.naturalWidth === 640,
      undefined,
      { timeout: MESSAGE_TIMEOUT_MS },
    );
    expect(await img.getAttribute('src')).to.match(/^\/maskwatch\/live\.jpg/);
    await page.close();
  });

  it("shows the package's nodes in the editor palette and imports every example", async function () {
    if (!hasChromium()) return this.skip();
    chromium ??= await launchChromium();
    const page = await chromium.context.newPage();
    await page.goto(`${red.url}/`);
    for (const type of PACKAGE_TYPES) {
      await page
        .locator(`.red-ui-palette-node[data-palette-type="${type}"]`)
        .waitFor({ timeout: 60_000 });
    }
    for (const [file, flow] of examples) {
      const added = await page.evaluate((nodes) => {
        interface EditorNode {
          id: string;
          type: string;
          valid?: boolean;
        }
        const red = (window as unknown as { RED: Record<string, any> }).RED; // eslint-disable-line @typescript-eslint/no-explicit-any
        const before = new Set<string>();
        red.nodes.eachNode((n: EditorNode) => void before.add(n.id));
        red.nodes.eachConfig((n: EditorNode) => void before.add(n.id));
        red.view.importNodes(nodes, { generateIds: true, addFlow: true });
        const found: { type: string; valid: boolean; known: boolean }[] = [];
        const check = (n: EditorNode) => {
          if (before.has(n.id)) return;
          found.push({
            type: n.type,
            valid: n.valid !== false,
            known: !!red.nodes.getType(n.type),
          });
        };
        red.nodes.eachNode(check);
        red.nodes.eachConfig(check);
        return found;
      }, flow);
      // Config nodes (no tab) equal to ones already deployed are reused by the import, not added.
      const types = new Set(flow.filter((n) => n.type !== 'tab' && n.z).map((n) => n.type));
      const addedTypes = new Set(added.map((a) => a.type));
      for (const type of types) expect(addedTypes, `${file} imports a ${type}`).to.include(type);
      const broken = added.filter((a) => !a.valid || !a.known).map((a) => a.type);
      expect(broken, `${file}: nodes shown invalid or unknown`).to.deep.equal([]);
    }
    await page.close();
  });

  it('keeps the counts through a restart of the runtime (file context store)', async () => {
    const post = async (body: unknown) => {
      const res = await fetch(`${red.url}/test/restart`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const [first] = frames('till', T0, 1, [{ id: 1, label: 'mask' }]);
    const [second] = frames('till', T0 + 1000, 1, [{ id: 2, label: 'no_mask' }]);
    expect(await post(first)).to.include({ people: 1, mask: 1 });
    expect(await post(second)).to.include({ people: 2, mask: 1, no_mask: 1 });
    const { userDir, workDir } = red;
    await red.stop();
    red = await startNodeRed({
      userDir,
      workDir,
      settings: { contextStorage: { default: { module: 'localfilesystem' } } },
      env: { SLACK_WEBHOOK_URL: stub.url, MASKWATCH_SITE: 'site-test' },
    });
    // The tracker numbers its tracks afresh after a restart: track 1 is a new person.
    const [third] = frames('till', T0 + 2000, 1, [{ id: 1, label: 'mask' }]);
    expect(await post(third)).to.deep.equal({
      people: 3,
      mask: 2,
      no_mask: 1,
      incorrect: 0,
      unknown: 0,
      complianceRate: 2 / 3,
    });
  });
});
