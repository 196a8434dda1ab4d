import { expect } from 'chai';
import type { NodeStatus } from 'node-red';
import type { ComplianceSnapshot } from '../../src/core/compliance-tally';
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

const FLOW = [
  { id: 'tab', type: 'tab' },
  { id: 'cc', z: 'tab', type: 'compliance-counter', minVotes: 2, minScore: 0.6, wires: [['out']] },
  { id: 'out', z: 'tab', type: 'helper' },
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
    return { cc, send, outputs, caught };
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
    expect(statuses.map((st) => st.fill)).to.deep.equal(['grey', 'red', 'red', 'green']);
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
});
