import { expect } from 'chai';
import helper from 'node-red-node-test-helper';
import type { Track } from '../../src/core/types';
import kalmanTracker from '../../nodes/kalman-tracker/kalman-tracker';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require('@node-red/nodes/core/common/25-catch.js');

helper.init(require.resolve('node-red'));

interface Msg {
  topic?: string;
  poses?: unknown;
  frame?: { index: number };
  tracks?: Track[];
  reset?: boolean;
  payload?: unknown;
  error?: { message: string };
}

function poseAt(x: number, score = 0.9) {
  const box = { x1: x, y1: 100, x2: x + 40, y2: 200 };
  return { keypoints: [{ name: 'nose', x: x + 20, y: 110, score }], score, box };
}

// Every node sits on a tab: Node-RED treats a node without `z` as a config node.
const flow = (config: Record<string, unknown> = {}) => [
  { id: 'tab', type: 'tab' },
  { id: 'tracker', z: 'tab', type: 'kalman-tracker', name: 'people', wires: [['out']], ...config },
  { id: 'out', z: 'tab', type: 'helper' },
  {
    id: 'catcher',
    z: 'tab',
    type: 'catch',
    scope: ['tracker'],
    uncaught: false,
    wires: [['caught']],
  },
  { id: 'caught', z: 'tab', type: 'helper' },
];

/** Loads the flow and collects what reaches the output and the Catch node. */
async function load(config: Record<string, unknown> = {}) {
  await helper.load([kalmanTracker, catchNode], flow(config));
  const tracker = helper.getNode('tracker');
  const out: Msg[] = [];
  const caught: Msg[] = [];
  helper.getNode('out').on('input', (msg: Msg) => out.push(msg));
  helper.getNode('caught').on('input', (msg: Msg) => caught.push(msg));
  return { tracker, out, caught };
}

/** Sends messages one after another and waits until `count` messages have arrived in `list`. */
async function settle(list: unknown[], count: number): Promise<void> {
  // Catch nodes receive errors a few event-loop turns later: poll on the clock, up to 2 s.
  const deadline = Date.now() + 2000;
  while (list.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  expect(list.length).to.equal(count);
}

describe('kalman-tracker node', () => {
  before((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
  });
  after((done) => {
    helper.stopServer(done);
  });

  it('gives two walking people ids that are kept from frame to frame and confirmed', async () => {
    const { tracker, out } = await load();
    for (let f = 0; f < 5; f += 1) {
      tracker.receive({
        topic: 'door',
        frame: { index: f },
        poses: [poseAt(10 + 3 * f), poseAt(300 - 3 * f)],
      });
    }
    await settle(out, 5);
    expect(out[0].tracks?.map((t) => [t.id, t.state])).to.deep.equal([
      [1, 'tentative'],
      [2, 'tentative'],
    ]);
    const last = out[4].tracks as Track[];
    expect(last.map((t) => [t.id, t.state, t.hits, t.age])).to.deep.equal([
      [1, 'confirmed', 5, 4],
      [2, 'confirmed', 5, 4],
    ]);
    expect(last[0].pose?.box.x1).to.equal(22);
    expect(last[0].velocity.x).to.be.above(1);
    expect(last[1].velocity.x).to.be.below(-1);
  });

  it('counts frames itself when messages carry no frame', async () => {
    const { tracker, out } = await load({ minHits: 2 });
    tracker.receive({ poses: [poseAt(10)] });
    tracker.receive({ poses: [poseAt(12)] });
    tracker.receive({ poses: [] });
    await settle(out, 3);
    expect(out.map((m) => m.tracks?.map((t) => [t.id, t.state, t.age]))).to.deep.equal([
      [[1, 'tentative', 0]],
      [[1, 'confirmed', 1]],
      [[1, 'lost', 2]],
    ]);
  });

  it('resets one camera on msg.reset, swallowing the reset message, and ids go on counting', async () => {
    const { tracker, out } = await load({ minHits: 1 });
    tracker.receive({ topic: 'door', frame: { index: 7 }, poses: [poseAt(10)] });
    tracker.receive({ topic: 'hall', frame: { index: 7 }, poses: [poseAt(10)] });
    tracker.receive({ topic: 'door', reset: true });
    tracker.receive({ topic: 'door', frame: { index: 0 }, poses: [poseAt(200)] });
    tracker.receive({ topic: 'hall', frame: { index: 8 }, poses: [poseAt(11)] });
    await settle(out, 4);
    expect(out.map((m) => [m.topic, m.tracks?.map((t) => [t.id, t.hits])])).to.deep.equal([
      ['door', [[1, 1]]],
      ['hall', [[1, 1]]],
      ['door', [[2, 1]]],
      ['hall', [[1, 2]]],
    ]);
  });

  it('resets every camera on payload "reset" without a topic', async () => {
    const { tracker, out } = await load({ minHits: 1 });
    tracker.receive({ topic: 'door', frame: { index: 3 }, poses: [poseAt(10)] });
    tracker.receive({ payload: 'reset' });
    tracker.receive({ topic: 'door', frame: { index: 0 }, poses: [poseAt(10)] });
    await settle(out, 2);
    expect(out[1].tracks?.map((t) => [t.id, t.hits, t.age])).to.deep.equal([[2, 1, 0]]);
  });

  it('fails a message without msg.poses through done(err), and the next good one still works', async () => {
    const { tracker, out, caught } = await load();
    tracker.receive({ frame: { index: 0 }, poses: [poseAt(10)] });
    tracker.receive({ frame: { index: 1 }, payload: 'no poses here' });
    tracker.receive({ frame: { index: 2 }, poses: [poseAt(12)] });
    await settle(out, 2);
    await settle(caught, 1);
    expect(caught[0].error?.message).to.include('msg.poses is missing');
    expect(out[1].tracks?.map((t) => [t.id, t.hits])).to.deep.equal([[1, 2]]);
  });

  it('fails a frame that goes back in time, naming the frame indices', async () => {
    const { tracker, out, caught } = await load();
    tracker.receive({ frame: { index: 5 }, poses: [] });
    tracker.receive({ frame: { index: 4 }, poses: [] });
    await settle(out, 1);
    await settle(caught, 1);
    expect(caught[0].error?.message).to.include('got 4 after 5');
  });

  it('starts a camera afresh when its source plays again from frame 0, ids going on', async () => {
    const { tracker, out, caught } = await load({ minHits: 1 });
    for (const index of [0, 1, 2]) {
      tracker.receive({ topic: 'door', frame: { index }, poses: [poseAt(10 + index)] });
    }
    tracker.receive({ topic: 'door', frame: { index: 0 }, poses: [poseAt(10)] });
    tracker.receive({ topic: 'door', frame: { index: 1 }, poses: [poseAt(11)] });
    await settle(out, 5);
    expect(caught).to.deep.equal([]);
    expect(out.map((m) => m.tracks?.map((t) => [t.id, t.hits]))).to.deep.equal([
      [[1, 1]],
      [[1, 2]],
      [[1, 3]],
      [[2, 1]],
      [[2, 2]],
    ]);
  });

  it('skips poses without a usable box and keeps tracking the others', async () => {
    const { tracker, out } = await load({ minHits: 1 });
    const broken = [null, { score: 0.9 }, { ...poseAt(50), box: { x1: 5, y1: 5, x2: 5, y2: 9 } }];
    tracker.receive({ frame: { index: 0 }, poses: [...broken, poseAt(300)] });
    await settle(out, 1);
    expect(out[0].tracks?.map((t) => [t.id, t.box.x1])).to.deep.equal([[1, 300]]);
  });

  it('does not process with a bad configuration', async () => {
    const { tracker, out } = await load({ maxAgeFrames: '0' });
    tracker.receive({ frame: { index: 0 }, poses: [poseAt(10)] });
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(out).to.deep.equal([]);
  });
});
