import { expect } from 'chai';
import type { NodeStatus } from 'node-red';
import type { CameraSnapshot as ComplianceSnapshot } from '../../src/core/camera-compliance';
import type { FaceCrop, Track, TrackState, VerdictLabel } from '../../src/core/types';

// The test helper ships no types; it is the documented way to run nodes in a real runtime.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const helper = require('node-red-node-test-helper');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const counterNode = require('../../nodes/compliance-counter/compliance-counter');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require('@node-red/nodes/core/common/25-catch.js');

helper.init(require.resolve('node-red'));

type Msg = Record<string, unknown>;
interface SpyCall {
  thisValue: unknown;
  args: unknown[];
}
interface TestNode {
  receive(msg: Msg): void;
  on(event: 'input', cb: (msg: Msg) => void): void;
  /** The helper replaces these Node methods with spies shared by every node. */
  status: { getCalls(): SpyCall[] };
  error: { getCalls(): SpyCall[] };
}

function callsOf(node: TestNode, method: 'status' | 'error'): unknown[] {
  return node[method]
    .getCalls()
    .filter((c) => c.thisValue === node)
    .map((c) => c.args[0]);
}

const BOX = { x1: 0, y1: 0, x2: 10, y2: 10 };

function track(id: number, state: TrackState = 'confirmed'): Track {
  return { id, box: BOX, velocity: { x: 0, y: 0 }, state, age: 5, hits: 5 };
}

function face(trackId: number, label: VerdictLabel, score = 0.9): FaceCrop {
  return { trackId, box: BOX, view: 'frontal', verdict: { label, score } };
}

/** One frame of a camera where each listed person shows a face with the given verdict. */
function frameMsg(topic: string, index: number, people: [number, VerdictLabel][]): Msg {
  return {
    topic,
    frame: { index },
    tracks: people.map(([id]) => track(id)),
    faces: people.map(([id, label]) => face(id, label)),
  };
}

/** Long enough for a message without output to be handled on a loaded machine. */
const SETTLE_MS = 200;
const MIN = 60_000;
/** 09:00 UTC on 2 March 2024. */
const T0 = Date.UTC(2024, 2, 2, 9);

/** `frameMsg` with a timestamp and a frame size (what video-source sets). */
function timedFrame(
  topic: string,
  index: number,
  timestampMs: number,
  people: [number, VerdictLabel][],
): Msg {
  const msg = frameMsg(topic, index, people);
  return { ...msg, frame: { index, timestampMs, width: 640, height: 360 } };
}

const FLOW = [
  { id: 'tab', type: 'tab' },
  {
    id: 'cc',
    z: 'tab',
    type: 'compliance-counter',
    minVotes: 2,
    minScore: 0.6,
    timeZone: 'UTC',
    wires: [['out'], ['alerts'], ['reports']],
  },
  { id: 'out', z: 'tab', type: 'helper' },
  { id: 'alerts', z: 'tab', type: 'helper' },
  { id: 'reports', z: 'tab', type: 'helper' },
  { id: 'catcher', z: 'tab', type: 'catch', scope: ['cc'], uncaught: false, wires: [['caught']] },
  { id: 'caught', z: 'tab', type: 'helper' },
];

describe('compliance-counter node', () => {
  before((done) => {
    helper.startServer(done);
  });
  after((done) => {
    helper.stopServer(done);
  });
  afterEach(() => helper.unload());

  async function load(config: Record<string, unknown> = {}) {
    const flow = FLOW.map((n) => (n.id === 'cc' ? { ...n, ...config } : n));
    await helper.load([counterNode, catchNode], flow);
    const cc = helper.getNode('cc') as TestNode;
    const out = helper.getNode('out') as TestNode;
    const outputs: Msg[] = [];
    out.on('input', (msg) => outputs.push(msg));
    const caught: Msg[] = [];
    (helper.getNode('caught') as TestNode).on('input', (msg) => caught.push(msg));
    const alerts: Msg[] = [];
    (helper.getNode('alerts') as TestNode).on('input', (msg) => alerts.push(msg));
    const reports: Msg[] = [];
    (helper.getNode('reports') as TestNode).on('input', (msg) => reports.push(msg));
    /** Sends `msg` and resolves once it (or its error) has come out. */
    const send = (msg: Msg): Promise<Msg> =>
      new Promise((resolve) => {
        const [outBefore, caughtBefore] = [outputs.length, caught.length];
        const check = (): void => {
          if (outputs.length > outBefore) resolve(outputs.at(-1)!);
          else if (caught.length > caughtBefore) resolve(caught.at(-1)!);
          else setImmediate(check);
        };
        cc.receive(msg);
        check();
      });
    /** Sends a message that produces no output on port 1 and waits until it is done. */
    const post = async (msg: Msg): Promise<void> => {
      cc.receive(msg);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    };
    return { cc, send, post, outputs, caught, alerts, reports };
  }

  it('counts four people once each over many frames and reports the rate', async () => {
    const { cc, send } = await load();
    const people: [number, VerdictLabel][] = [
      [1, 'mask'],
      [2, 'mask'],
      [3, 'mask'],
      [4, 'no_mask'],
    ];
    let last: Msg = {};
    for (let i = 0; i < 10; i += 1) last = await send(frameMsg('cam1', i, people));
    expect(last.payload).to.deep.equal({
      people: 4,
      mask: 3,
      no_mask: 1,
      incorrect: 0,
      unknown: 0,
      complianceRate: 0.75,
    });
    const snapshot = last.compliance as ComplianceSnapshot;
    expect(snapshot.frames).to.equal(10);
    expect(snapshot.people.map((p) => [p.trackId, p.firstFrame, p.lastFrame])).to.deep.equal([
      [1, 0, 9],
      [2, 0, 9],
      [3, 0, 9],
      [4, 0, 9],
    ]);
    const statuses = callsOf(cc, 'status') as NodeStatus[];
    expect(statuses.at(-1)).to.deep.equal({
      fill: 'green',
      shape: 'dot',
      text: '4 people · 3 mask · 75 %',
    });
  });

  it('keeps one tally per camera topic', async () => {
    const { send } = await load();
    await send(frameMsg('cam1', 0, [[1, 'mask']]));
    await send(
      frameMsg('cam2', 0, [
        [1, 'no_mask'],
        [2, 'no_mask'],
      ]),
    );
    const cam1 = await send(frameMsg('cam1', 1, [[1, 'mask']]));
    expect(cam1.payload).to.include({ people: 1, mask: 1, no_mask: 0 });
    const cam2 = await send(
      frameMsg('cam2', 1, [
        [1, 'no_mask'],
        [2, 'no_mask'],
      ]),
    );
    expect(cam2.payload).to.include({ people: 2, mask: 0, no_mask: 2, complianceRate: 0 });
  });

  it('resets a camera on msg.reset and outputs the zeroed summary', async () => {
    const { send } = await load();
    await send(frameMsg('cam1', 0, [[1, 'mask']]));
    await send(frameMsg('cam2', 0, [[5, 'mask']]));
    const zeroed = await send({ topic: 'cam1', reset: true });
    expect(zeroed.payload).to.deep.equal({
      people: 0,
      mask: 0,
      no_mask: 0,
      incorrect: 0,
      unknown: 0,
      complianceRate: null,
    });
    expect((zeroed.compliance as ComplianceSnapshot).frames).to.equal(0);
    const cam2 = await send(frameMsg('cam2', 1, [[5, 'mask']]));
    expect(cam2.payload).to.include({ people: 1 });
  });

  it('resets every camera on a payload "reset" without a topic', async () => {
    const { send } = await load();
    await send(frameMsg('cam1', 0, [[1, 'mask']]));
    await send(frameMsg('cam2', 0, [[5, 'mask']]));
    await send({ payload: 'reset' });
    const cam1 = await send(frameMsg('cam1', 1, [[2, 'mask']]));
    const cam2 = await send(frameMsg('cam2', 1, [[6, 'mask']]));
    expect((cam1.compliance as ComplianceSnapshot).people.map((p) => p.trackId)).to.deep.equal([2]);
    expect((cam2.compliance as ComplianceSnapshot).people.map((p) => p.trackId)).to.deep.equal([6]);
  });

  it('fails a message without msg.faces so a Catch node sees it, then counts the next one', async () => {
    const { cc, send, caught } = await load();
    const failed = await send({ topic: 'cam1', tracks: [track(1)] });
    expect(caught).to.have.length(1);
    expect((failed.error as { message: string }).message).to.match(/msg\.faces is missing/);
    const noTracks = await send({ topic: 'cam1', faces: [] });
    expect((noTracks.error as { message: string }).message).to.match(/msg\.tracks is missing/);
    const ok = await send(frameMsg('cam1', 0, [[1, 'mask']]));
    expect(ok.payload).to.include({ people: 1 });
    const statuses = callsOf(cc, 'status') as NodeStatus[];
    expect(statuses.map((st) => st.fill)).to.deep.equal(['grey', 'grey', 'red', 'red', 'green']);
  });

  it('takes a run start quietly and fails an event it does not know, naming the ones it takes', async () => {
    const { send, post, outputs, caught } = await load();
    await post({ topic: 'cam1', payload: { event: 'start', frames: 0 } });
    expect([outputs.length, caught.length]).to.deep.equal([0, 0]);
    const failed = await send({ topic: 'cam1', payload: { event: 'bogus' } });
    expect((failed.error as { message: string }).message).to.equal(
      'TypeError: msg.payload.event "bogus" is no video-source event (start / end / stopped / outage)',
    );
    const ok = await send(frameMsg('cam1', 0, [[1, 'mask']]));
    expect(ok.payload).to.include({ people: 1 });
  });

  it('fails a track without a box before counting or sending anything, then counts the next', async () => {
    const { send, outputs, caught } = await load({ annotate: true });
    await send(frameMsg('cam1', 0, [[1, 'mask']]));
    const failed = await send({
      topic: 'cam1',
      frame: { index: 1 },
      tracks: [track(2), { id: 3, state: 'confirmed' }],
      faces: [face(2, 'mask'), face(3, 'no_mask')],
    });
    expect(caught).to.have.length(1);
    expect((failed.error as { message: string }).message).to.equal(
      'TypeError: msg.tracks[1].box must be { x1, y1, x2, y2 } in finite numbers, got undefined',
    );
    expect(outputs).to.have.length(1);
    const next = await send(frameMsg('cam1', 2, [[1, 'mask']]));
    const snapshot = next.compliance as ComplianceSnapshot;
    expect(snapshot.frames).to.equal(2);
    expect(snapshot.people.map((p) => p.trackId)).to.deep.equal([1]);
    expect(next.payload).to.include({ people: 1, mask: 1, no_mask: 0 });
  });

  it('names the corner of a box that is not a finite number', async () => {
    const { send, outputs } = await load();
    const bad = { ...track(1), box: { x1: 0, y1: 0, x2: Number.NaN, y2: 10 } };
    const failed = await send({ topic: 'cam1', tracks: [bad], faces: [] });
    expect((failed.error as { message: string }).message).to.equal(
      'TypeError: msg.tracks[0].box.x2 must be a finite number, got NaN',
    );
    expect(outputs).to.have.length(0);
  });

  it('shows a red ring naming the field and takes no input with a bad minimum score', async () => {
    const { cc } = await load({ minScore: 2 });
    const message = 'minScore must be between 0 and 1, got 2';
    expect(callsOf(cc, 'error')).to.deep.equal([message]);
    expect(callsOf(cc, 'status')).to.deep.equal([{ fill: 'red', shape: 'ring', text: message }]);
    const listeners = (cc as unknown as { listenerCount(e: string): number }).listenerCount(
      'input',
    );
    expect(listeners).to.equal(0);
  });

  it('raises one alert on output 2 with the numbers and no face, then stays quiet in the cooldown', async () => {
    const { send, alerts } = await load({
      alertAbovePct: 30,
      alertMinPeople: 3,
      alertCooldownMin: 10,
    });
    const people: [number, VerdictLabel][] = [
      [1, 'mask'],
      [2, 'no_mask'],
      [3, 'no_mask'],
    ];
    for (let i = 0; i < 20; i += 1) await send(timedFrame('hall', i, T0 + i * 100, people));
    expect(alerts).to.have.length(1);
    const alert = alerts[0].payload as Record<string, unknown>;
    expect(alerts[0].topic).to.equal('hall');
    expect(alert).to.include({ event: 'alert', camera: 'hall', people: 3, mask: 1, no_mask: 2 });
    expect(alert.unmaskedFraction).to.be.closeTo(2 / 3, 1e-12);
    expect(alert.aboveFraction).to.equal(0.3);
    expect(alert.violators).to.deep.equal([
      { trackId: 2, verdict: 'no_mask', firstSeenMs: T0, lastSeenMs: T0 + 100 },
      { trackId: 3, verdict: 'no_mask', firstSeenMs: T0, lastSeenMs: T0 + 100 },
    ]);
  });

  it('attaches the best face of each violator as a JPEG only when face crops are enabled', async () => {
    const { send, alerts } = await load({ alertMinPeople: 1, alertFaces: true });
    const crop = { data: Buffer.alloc(8 * 8 * 3, 128), width: 8, height: 8, channels: 3 };
    for (let i = 0; i < 3; i += 1) {
      const msg = timedFrame('hall', i, T0 + i * 100, [[1, 'no_mask']]);
      (msg.faces as FaceCrop[])[0].crop = crop;
      await send(msg);
    }
    expect(alerts).to.have.length(1);
    const [violator] = (alerts[0].payload as { violators: { faceJpeg: Buffer }[] }).violators;
    expect(violator.faceJpeg.subarray(0, 2)).to.deep.equal(Buffer.from([0xff, 0xd8]));
  });

  it('reports each closed hour on output 3, and the open one when the video ends', async () => {
    const { send, post, reports } = await load({ reportMinutes: 60 });
    await send(timedFrame('hall', 0, T0 + 50 * MIN, [[1, 'mask']]));
    await send(timedFrame('hall', 1, T0 + 50 * MIN + 100, [[1, 'mask']]));
    expect(reports).to.have.length(0);
    await send(timedFrame('hall', 2, T0 + 61 * MIN, [[2, 'no_mask']]));
    await send(timedFrame('hall', 3, T0 + 61 * MIN + 100, [[2, 'no_mask']]));
    expect(reports).to.have.length(1);
    expect(reports[0].payload).to.include({
      camera: 'hall',
      period: '2024-03-02T09:00',
      partial: false,
      people: 1,
      mask: 1,
      complianceRate: 1,
    });
    await post({ topic: 'hall', payload: { event: 'end', frames: 4 } });
    expect(reports).to.have.length(2);
    expect(reports[1].payload).to.include({
      period: '2024-03-02T10:00',
      partial: true,
      no_mask: 1,
    });
  });

  it('subtracts an outage from video-source from the observed time, and checks its fields', async () => {
    const { send, post, caught } = await load({ rollingMinutes: 10 });
    await send(timedFrame('gate', 0, T0, [[1, 'mask']]));
    const outage = {
      event: 'outage',
      source: 'rtsp://gate',
      startMs: T0 + MIN,
      endMs: T0 + 3 * MIN,
    };
    await post({
      topic: 'gate',
      payload: { ...outage, durationMs: 2 * MIN, restarts: 1, resumed: true, reason: 'stalled' },
    });
    const after = await send(timedFrame('gate', 1, T0 + 5 * MIN, [[1, 'mask']]));
    const { windows, blind } = after.compliance as {
      windows: { rolling: { blindMs: number; observedMs: number; outages: number } };
      blind: { outages: number; blindMs: number };
    };
    expect(windows.rolling).to.include({ blindMs: 2 * MIN, observedMs: 8 * MIN, outages: 1 });
    expect(blind).to.deep.equal({ outages: 1, blindMs: 2 * MIN });
    const bad = await send({
      topic: 'gate',
      payload: { event: 'outage', startMs: 'soon', endMs: 1 },
    });
    expect(caught).to.have.length(1);
    expect((bad.error as { message: string }).message).to.include(
      'msg.payload.startMs must be a number of milliseconds, got "soon"',
    );
  });

  it('adds a box and "#id verdict" per counted person to msg.annotations when asked', async () => {
    const { send } = await load({ annotate: true });
    await send(timedFrame('hall', 0, T0, [[4, 'mask']]));
    const out = await send({
      ...timedFrame('hall', 1, T0 + 100, [[4, 'mask']]),
      annotations: [{ type: 'rect', bbox: [0, 0, 1, 1] }],
    });
    expect(out.annotations).to.deep.equal([
      { type: 'rect', bbox: [0, 0, 1, 1] },
      {
        type: 'rect',
        bbox: [0, 0, 10, 10],
        label: '#4 mask',
        stroke: '#2ca02c',
        fontColor: '#2ca02c',
      },
    ]);
  });

  it('counts only the people standing in an include zone, per zone', async () => {
    const zones = JSON.stringify([
      {
        name: 'left',
        points: [
          [0, 0],
          [0.5, 0],
          [0.5, 1],
          [0, 1],
        ],
      },
    ]);
    const { send } = await load({ zones });
    const msg = timedFrame('hall', 0, T0, [
      [1, 'mask'],
      [2, 'no_mask'],
    ]);
    (msg.tracks as Track[])[1].box = { x1: 500, y1: 100, x2: 600, y2: 300 };
    await send(msg);
    const out = await send({
      ...msg,
      frame: { index: 1, timestampMs: T0 + 100, width: 640, height: 360 },
    });
    const compliance = out.compliance as { zones: Record<string, { people: number }> };
    expect(out.payload).to.include({ people: 1, mask: 1, no_mask: 0 });
    expect(compliance.zones.left.people).to.equal(1);
  });

  it('keeps its counts through a redeploy of the flow (memory context store)', async () => {
    const first = await load();
    await first.send(timedFrame('hall', 0, T0, [[1, 'mask']]));
    await first.send(timedFrame('hall', 1, T0 + 100, [[1, 'mask']]));
    // Stop the flows without clearing contexts, as a redeploy does, then start them again.
    const redNodes = (
      helper as unknown as {
        _redNodes: { stopFlows(): Promise<void>; startFlows(): Promise<void> };
      }
    )._redNodes;
    await redNodes.stopFlows();
    await redNodes.startFlows();
    const cc = helper.getNode('cc') as TestNode;
    const out = helper.getNode('out') as TestNode;
    const next = new Promise<Msg>((resolve) => out.on('input', resolve));
    cc.receive(timedFrame('hall', 2, T0 + 200, [[2, 'no_mask']]));
    const msg = await next;
    expect(msg.payload).to.include({ people: 2, mask: 1 });
  });

  it('shows a red ring naming the zone when a polygon has fewer than 3 points', async () => {
    const { cc } = await load({ zones: '[{"name": "door", "points": [[0,0],[1,1]]}]' });
    const message = 'zones[0].points must have at least 3 points, got 2 points';
    expect(callsOf(cc, 'error')).to.deep.equal([message]);
    expect((callsOf(cc, 'status') as NodeStatus[])[0]).to.include({ fill: 'red', shape: 'ring' });
  });

  it('shows a red ring for a report period that does not divide a day', async () => {
    const { cc } = await load({ reportMinutes: 7 });
    expect(callsOf(cc, 'error')).to.deep.equal([
      'reportMinutes must divide a day (1440 minutes) evenly, e.g. 15, 60 or 1440, got 7',
    ]);
  });
});
