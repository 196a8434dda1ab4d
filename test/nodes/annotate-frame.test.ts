import { expect } from 'chai';
import sharp from 'sharp';
import {
  callsOf,
  catchNode,
  collect,
  helper,
  useNodeRed,
  waitForLength,
  wiredFlow,
  type Msg,
  type TestNode,
} from '../support/flow-harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const annotateFrameNode = require('../../nodes/annotate-frame/annotate-frame');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const annotateImageNode = require('node-red-node-annotate-image/annotate.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const counterNode = require('../../nodes/compliance-counter/compliance-counter');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const changeNode = require('@node-red/nodes/core/function/15-change.js');

const nodeOf = (id: string) => helper.getNode(id) as unknown as TestNode;

const W = 96;
const H = 64;
/** A striped square: sharp detail a blur must wipe out. */
const FACE = { x1: 40, y1: 8, x2: 56, y2: 24 };

function testFrame() {
  const data = Buffer.alloc(W * H * 3, 60);
  for (let y = FACE.y1; y < FACE.y2; y += 1) {
    for (let x = FACE.x1; x < FACE.x2; x += 1)
      data.fill(x % 2 === 0 ? 255 : 0, (y * W + x) * 3, (y * W + x) * 3 + 3);
  }
  return { data, width: W, height: H, channels: 3, index: 0, timestampMs: 0, source: 'test' };
}

async function pixels(jpeg: Buffer) {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [
    ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
  ];
  return { info, at };
}

/** Spread of brightness across the face square: high for stripes, low once blurred. */
function faceSpread(at: (x: number, y: number) => number[]): number {
  const values: number[] = [];
  for (let x = FACE.x1 + 4; x < FACE.x2 - 4; x += 1) values.push(at(x, 16)[0]);
  return Math.max(...values) - Math.min(...values);
}

describe('annotate-frame node', () => {
  useNodeRed();

  it('draws a box into a JPEG copy and blurs the face, leaving msg.frame unchanged', async () => {
    await helper.load(
      [annotateFrameNode, catchNode],
      wiredFlow({ id: 'af', type: 'annotate-frame' }),
    );
    const out = collect(nodeOf('out'));
    const frame = testFrame();
    const before = Buffer.from(frame.data);
    nodeOf('af').receive({
      frame,
      annotations: [{ type: 'rect', bbox: [4, 30, 30, 30], stroke: '#ff0000', lineWidth: 3 }],
      faces: [{ trackId: 1, box: FACE }],
      tracks: [{ id: 1, box: { x1: 36, y1: 4, x2: 60, y2: 60 } }],
    });
    await waitForLength(out, 1);
    const jpeg = out[0].payload as Buffer;
    expect(jpeg.subarray(0, 2)).to.deep.equal(Buffer.from([0xff, 0xd8]));
    const { info, at } = await pixels(jpeg);
    expect([info.width, info.height]).to.deep.equal([W, H]);
    const [r, g, b] = at(4, 45); // on the left edge of the red box
    expect(r).to.be.greaterThan(150);
    expect(g).to.be.lessThan(100);
    expect(b).to.be.lessThan(100);
    expect(faceSpread(at)).to.be.lessThan(60);
    expect((out[0].frame as { data: Buffer }).data.equals(before)).to.equal(true);
  });

  it('keeps the face sharp when blurring is turned off', async () => {
    await helper.load(
      [annotateFrameNode, catchNode],
      wiredFlow({ id: 'af', type: 'annotate-frame', blurFaces: false }),
    );
    const out = collect(nodeOf('out'));
    nodeOf('af').receive({
      frame: testFrame(),
      faces: [{ trackId: 1, box: FACE }],
    });
    await waitForLength(out, 1);
    const { at } = await pixels(out[0].payload as Buffer);
    expect(faceSpread(at)).to.be.greaterThan(150);
  });

  it('fails a message without a frame through the Catch node, naming the field', async () => {
    await helper.load(
      [annotateFrameNode, catchNode],
      wiredFlow({ id: 'af', type: 'annotate-frame' }),
    );
    const caught = collect(nodeOf('caught'));
    nodeOf('af').receive({ annotations: [] });
    await waitForLength(caught, 1);
    expect((caught[0].error as { message: string }).message).to.match(/msg\.frame is missing/);
    const af = nodeOf('af');
    expect(callsOf(af, 'status').at(-1)).to.include({ fill: 'red' });
  });

  it('shows a red ring for a JPEG quality out of range', async () => {
    await helper.load(
      [annotateFrameNode, catchNode],
      wiredFlow({ id: 'af', type: 'annotate-frame', quality: 0 }),
    );
    expect(callsOf(nodeOf('af'), 'error')).to.deep.equal(['quality must be an integer ≥ 1, got 0']);
  });

  it("feeds the counter's annotations to the official annotate-image node", async () => {
    const flow = [
      { id: 'tab', type: 'tab' },
      {
        id: 'cc',
        z: 'tab',
        type: 'compliance-counter',
        minVotes: 1,
        annotate: true,
        wires: [['mv'], [], []],
      },
      // The counter's summary takes msg.payload; the picture travels as msg.image until here.
      {
        id: 'mv',
        z: 'tab',
        type: 'change',
        rules: [{ t: 'move', p: 'image', pt: 'msg', to: 'payload', tot: 'msg' }],
        wires: [['ai']],
      },
      { id: 'ai', z: 'tab', type: 'annotate-image', wires: [['out']] },
      { id: 'out', z: 'tab', type: 'helper' },
    ];
    await helper.load([counterNode, changeNode, annotateImageNode], flow);
    const out = collect(nodeOf('out'));
    const jpeg = await sharp(Buffer.alloc(W * H * 3, 60), {
      raw: { width: W, height: H, channels: 3 },
    })
      .jpeg()
      .toBuffer();
    const box = { x1: 20, y1: 10, x2: 50, y2: 60 };
    const msg: Msg = {
      topic: 'cam',
      image: jpeg,
      tracks: [{ id: 3, box, velocity: { x: 0, y: 0 }, state: 'confirmed', age: 3, hits: 3 }],
      faces: [{ trackId: 3, box, view: 'frontal', verdict: { label: 'no_mask', score: 0.9 } }],
    };
    nodeOf('cc').receive(msg);
    await waitForLength(out, 1);
    const annotated = out[0].payload as Buffer;
    expect(annotated.equals(jpeg)).to.equal(false);
    expect(out[0].annotations).to.deep.equal([
      {
        type: 'rect',
        bbox: [20, 10, 30, 50],
        label: '#3 no_mask',
        stroke: '#d62728',
        fontColor: '#d62728',
      },
    ]);
    const { at } = await pixels(annotated);
    const [r, g] = at(21, 35); // the box's left edge, in the no_mask red
    expect(r - g).to.be.greaterThan(80);
  });
});
