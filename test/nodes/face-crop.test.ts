import { expect } from 'chai';
import type { NodeStatus } from 'node-red';
import { pixelRegion } from '../../src/runtime/face-cropper';
import { COCO17_KEYPOINTS, type FaceCrop, type Frame, type Track } from '../../src/core/types';

// The test helper ships no types; it is the documented way to run nodes in a real runtime.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const helper = require('node-red-node-test-helper');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const faceCropNode = require('../../nodes/face-crop/face-crop');
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

/** First arguments of the calls of a spied Node method made by `node`. */
function callsOf(node: TestNode, method: 'status' | 'error'): unknown[] {
  return node[method]
    .getCalls()
    .filter((c) => c.thisValue === node)
    .map((c) => c.args[0]);
}

/** Pixel (x, y) is [x, y, x ^ y]: any crop's expected bytes can be computed. */
function patternFrame(width: number, height: number): Frame {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i += 1) {
    const x = i % width;
    const y = Math.floor(i / width);
    data.set([x, y, x ^ y], i * 3);
  }
  return { data, width, height, channels: 3, index: 4, timestampMs: 160, source: 'test' };
}

function expectedBytes(frame: Frame, face: FaceCrop): Buffer {
  const r = pixelRegion(face.box, frame.width, frame.height);
  const rows = [];
  for (let y = r.top; y < r.top + r.height; y += 1) {
    const start = (y * frame.width + r.left) * 3;
    rows.push(frame.data.subarray(start, start + r.width * 3));
  }
  return Buffer.concat(rows);
}

function walker(
  id: number,
  x: number,
  eyeSpan: number,
  state: Track['state'] = 'confirmed',
): Track {
  const seen: Record<string, [number, number]> = {
    nose: [x, 40 + eyeSpan / 2],
    left_eye: [x + eyeSpan / 2, 40],
    right_eye: [x - eyeSpan / 2, 40],
  };
  const keypoints = COCO17_KEYPOINTS.map((name) => {
    const at = seen[name];
    return at ? { name, x: at[0], y: at[1], score: 0.9 } : { name, x: 0, y: 0, score: 0 };
  });
  const box = { x1: x - 30, y1: 20, x2: x + 30, y2: 190 };
  return {
    id,
    box,
    velocity: { x: 0, y: 0 },
    state,
    age: 9,
    hits: 9,
    pose: { keypoints, score: 0.9, box },
  };
}

const FLOW = [
  { id: 'tab', type: 'tab' },
  { id: 'fc', z: 'tab', type: 'face-crop', name: 'faces', wires: [['out']] },
  { id: 'out', z: 'tab', type: 'helper' },
  { id: 'catcher', z: 'tab', type: 'catch', scope: ['fc'], uncaught: false, wires: [['caught']] },
  { id: 'caught', z: 'tab', type: 'helper' },
];

function nextMessage(node: TestNode): Promise<Msg> {
  return new Promise((resolve) => node.on('input', resolve));
}

describe('face-crop node', () => {
  before((done) => {
    helper.startServer(done);
  });
  after((done) => {
    helper.stopServer(done);
  });
  afterEach(() => helper.unload());

  async function load(config: Record<string, unknown> = {}) {
    const flow = FLOW.map((n) => (n.id === 'fc' ? { ...n, ...config } : n));
    await helper.load([faceCropNode, catchNode], flow);
    const fc = helper.getNode('fc') as TestNode;
    const out = helper.getNode('out') as TestNode;
    return { fc, out, caught: helper.getNode('caught') as TestNode };
  }

  it('puts one face per confirmed track on msg.faces, with exact crops and gate reasons', async () => {
    const { fc, out } = await load();
    const frame = patternFrame(200, 200);
    const before = Buffer.from(frame.data);
    const received = nextMessage(out);
    fc.receive({
      frame,
      tracks: [walker(1, 60, 20), walker(2, 150, 2), walker(3, 100, 20, 'tentative')],
    });
    const msg = await received;
    const faces = msg.faces as FaceCrop[];
    expect(faces.map((f) => [f.trackId, f.view, f.reason])).to.deep.equal([
      [1, 'frontal', undefined],
      [2, 'frontal', 'too small'],
    ]);
    expect(faces[0].crop!.data.equals(expectedBytes(frame, faces[0]))).to.equal(true);
    expect(faces[1].crop).to.equal(undefined);
    expect(frame.data.equals(before)).to.equal(true);
    expect(msg.frame).to.equal(frame);
    const statuses = callsOf(fc, 'status') as NodeStatus[];
    expect(statuses.at(-1)).to.deep.equal({
      fill: 'green',
      shape: 'dot',
      text: '2 faces (1 too small)',
    });
  });

  it('crops tentative tracks and applies the minimum face size from its config', async () => {
    const { fc, out } = await load({ includeTentative: true, minFacePx: 1 });
    const received = nextMessage(out);
    fc.receive({
      frame: patternFrame(200, 200),
      tracks: [walker(2, 150, 2), walker(3, 100, 20, 'tentative')],
    });
    const faces = (await received).faces as FaceCrop[];
    expect(faces.map((f) => [f.trackId, f.reason])).to.deep.equal([
      [2, undefined],
      [3, undefined],
    ]);
  });

  it('fails a message without msg.tracks so a Catch node sees it, then crops the next one', async () => {
    const { fc, out, caught } = await load();
    const error = nextMessage(caught);
    fc.receive({ frame: patternFrame(200, 200) });
    const err = (await error).error as { message: string };
    expect(err.message).to.match(/msg\.tracks is missing/);
    const received = nextMessage(out);
    fc.receive({ frame: patternFrame(200, 200), tracks: [walker(1, 60, 20)] });
    expect(((await received).faces as FaceCrop[]).length).to.equal(1);
    const statuses = callsOf(fc, 'status') as NodeStatus[];
    expect(statuses.map((st) => st.fill)).to.deep.equal(['grey', 'red', 'green']);
  });

  it('fails a message whose frame is not a decoded frame', async () => {
    const { fc, caught } = await load();
    const error = nextMessage(caught);
    fc.receive({ frame: { data: Buffer.alloc(5), width: 2, height: 2, channels: 3 }, tracks: [] });
    expect(((await error).error as { message: string }).message).to.match(
      /msg\.frame\.data has 5 bytes/,
    );
  });

  it('shows a red ring naming the field and takes no input with a bad minimum face size', async () => {
    const { fc, out } = await load({ minFacePx: 0 });
    const message = 'minFacePx must be an integer ≥ 1, got 0';
    expect(callsOf(fc, 'error')).to.deep.equal([message]);
    expect(callsOf(fc, 'status')).to.deep.equal([{ fill: 'red', shape: 'ring', text: message }]);
    expect((fc as unknown as { listenerCount(e: string): number }).listenerCount('input')).to.equal(
      0,
    );
    expect(out).to.not.equal(undefined);
  });
});
