import { expect } from 'chai';
import { COCO17_KEYPOINTS, type Frame, type Pose } from '../../src/core/types';
import { openVideo } from '../../src/runtime/ffmpeg-frame-reader';
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
