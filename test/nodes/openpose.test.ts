import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeStatus } from 'node-red';
import { COCO17_KEYPOINTS, type Frame, type Pose } from '../../src/core/types';
import { openVideo } from '../../src/runtime/ffmpeg-frame-reader';
import { modelsDir } from '../../src/runtime/models-dir';
import openposeNode from '../../nodes/openpose/openpose';
import { demoClip, NO_CLIP_REASON } from '../support/demo-media';
import {
  callsOf,
  catchNode,
  helper,
  nextMessage,
  statusesOf,
  useNodeRed,
  wiredFlow,
  type TestNode,
} from '../support/flow-harness';

/** Corridor excerpt frame 30: the masked person is well inside the picture. */
const FRAME_INDEX = 30;

async function corridorFrame(clip: string): Promise<Frame> {
  const reader = await openVideo(clip, { maxFrames: FRAME_INDEX + 1 });
  let last: Frame | undefined;
  for await (const frame of reader) last = frame;
  await reader.close();
  return last!;
}

async function load(config: Record<string, unknown> = {}) {
  await helper.load(
    [openposeNode, catchNode],
    wiredFlow({ id: 'op', type: 'openpose', ...config }),
  );
  const node = (id: string) => helper.getNode(id) as unknown as TestNode;
  return { op: node('op'), out: node('out'), caught: node('caught') };
}

describe('openpose node', function () {
  this.timeout(60_000);
  useNodeRed();
  let frame: Frame;

  before(async function () {
    const clip = demoClip('corridor-masked-person');
    if (clip === undefined) {
      console.warn(`      skipped: ${NO_CLIP_REASON}`);
      this.skip();
    }
    frame = await corridorFrame(clip);
  });

  it('finds the person of a corridor frame, with named keypoints inside the frame', async () => {
    const { op, out } = await load();
    const before = Buffer.from(frame.data);
    const received = nextMessage(out);
    op.receive({ frame });
    const msg = await received;
    const poses = msg.poses as Pose[];
    expect(poses.length).to.be.at.least(1);
    const [best] = poses;
    expect(best!.keypoints.map((k) => k.name)).to.deep.equal([...COCO17_KEYPOINTS]);
    expect(best!.box.x1).to.be.at.least(0);
    expect(best!.box.x2).to.be.at.most(frame.width);
    expect(best!.box.y2).to.be.at.most(frame.height);
    expect(best!.box.x2 - best!.box.x1).to.be.above(10);
    expect(frame.data.equals(before), 'frame bytes unchanged').to.equal(true);
    expect(msg.annotations).to.have.length(poses.length);
    expect(statusesOf(op).at(-1)!.fill).to.equal('green');
  });

  it('fails a message without a frame through the Catch node, then estimates the next', async () => {
    const { op, out, caught } = await load({ annotate: false });
    const error = nextMessage(caught);
    op.receive({ payload: 'hello' });
    expect(((await error).error as { message: string }).message).to.match(
      /msg\.frame is missing: wire a video-source/,
    );
    const received = nextMessage(out);
    op.receive({ frame });
    expect(((await received).poses as Pose[]).length).to.be.at.least(1);
    expect((await received).annotations).to.equal(undefined);
  });

  it('shows a red ring naming a missing custom model file, and fails frames with it', async () => {
    const { op, caught } = await load({ model: 'custom', modelPath: '/nonexistent/pose.json' });
    const error = nextMessage(caught);
    op.receive({ frame });
    expect(((await error).error as { message: string }).message).to.include(
      'model file /nonexistent/pose.json: not found',
    );
    expect(
      statusesOf(op).some((s) => s.fill === 'red' && /pose\.json/.test(s.text ?? '')),
    ).to.equal(true);
  });

  it('does not start with an input size that is not a multiple of 32', async () => {
    const { op } = await load({ inputLongSide: 300 });
    expect(callsOf(op, 'error')).to.deep.equal([
      'inputLongSide must be a multiple of 32 between 128 and 1280, got 300',
    ]);
    expect(op.listenerCount('input')).to.equal(0);
  });
});

/** Resolves with the first status of `node` that `accept` takes; rejects after `timeoutMs`. */
async function statusWhere(
  node: TestNode,
  accept: (s: NodeStatus) => boolean,
  timeoutMs = 20_000,
): Promise<NodeStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = statusesOf(node).find(accept);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no such status in ${JSON.stringify(statusesOf(node))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const smallFrame = (): Frame => ({
  data: Buffer.alloc(64 * 48 * 3, 120),
  width: 64,
  height: 48,
  channels: 3,
  index: 0,
  timestampMs: 0,
  source: 'test',
});

describe('openpose node with ONNX model files', function () {
  this.timeout(60_000);
  useNodeRed();
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'maskwatch-openpose-node-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows a red ring naming a missing model file, and fails each frame through Catch', async () => {
    const path = join(dir, 'missing.onnx');
    const { op, caught } = await load({ model: 'custom', modelPath: path, layout: 'posenet' });
    await statusWhere(op, (s) => s.fill === 'red' && s.text === 'missing.onnx: not found');
    const error = nextMessage(caught);
    op.receive({ frame: smallFrame() });
    const message = ((await error).error as { message: string }).message;
    expect(message).to.equal(`ModelFileError: model file ${path}: not found`);
    expect(callsOf(op, 'error')[0]).to.equal(
      `cannot load pose model: model file ${path}: not found`,
    );
  });

  it('names a corrupt model file in its status', async () => {
    const path = join(dir, 'corrupt.onnx');
    writeFileSync(path, 'not an onnx model');
    const { op } = await load({ model: 'custom', modelPath: path, layout: 'posenet' });
    const s = await statusWhere(op, (x) => x.fill === 'red');
    expect(s.text).to.match(/^corrupt\.onnx: is not a loadable ONNX model/);
  });

  it('names a model of the wrong input shape for its layout in its status', async () => {
    // MoveNet takes int32 pixels, the PoseNet layout float32.
    const path = join(modelsDir(), 'movenet-multipose', 'movenet-multipose.onnx');
    const { op, caught } = await load({
      model: 'custom',
      modelPath: path,
      layout: 'posenet',
    });
    const s = await statusWhere(op, (x) => x.fill === 'red');
    expect(s.text).to.match(/^movenet-multipose\.onnx: wrong input for the posenet layout/);
    const error = nextMessage(caught);
    op.receive({ frame: smallFrame() });
    expect(((await error).error as { message: string }).message).to.include('expected one float32');
  });

  it('does not start with a thread count out of range', async () => {
    const { op } = await load({ threads: -1 });
    expect(callsOf(op, 'error')).to.deep.equal(['threads must be an integer ≥ 0, got -1']);
    expect(op.listenerCount('input')).to.equal(0);
  });

  it('does not start with an unknown layout', async () => {
    const { op } = await load({ model: 'custom', modelPath: 'x.onnx', layout: 'yolo' });
    expect(String(callsOf(op, 'error')[0])).to.match(/^layout must be one of/);
    expect(statusesOf(op).at(-1)!.fill).to.equal('red');
  });
});
