import { expect } from 'chai';
import type { FaceCrop, PixelCrop } from '../../src/core/types';
import maskClassifierNode from '../../nodes/mask-classifier/mask-classifier';
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
import { resetCudaWarningForTests } from '../../src/runtime/ort-session-cache';

const PROBABILITY_SUM_TOLERANCE = 1e-4;

/** A crop of `channels` channels filled with a smooth gradient, so it looks like an image. */
function gradientCrop(width: number, height: number, channels: 1 | 3 | 4): PixelCrop {
  const data = Buffer.alloc(width * height * channels);
  for (let i = 0; i < width * height; i += 1) {
    const x = i % width;
    const y = Math.floor(i / width);
    for (let c = 0; c < channels; c += 1) {
      data[i * channels + c] = c === 3 ? 255 : (x * 3 + y * 2 + c * 40) % 256;
    }
  }
  return { data, width, height, channels };
}

function face(trackId: number, crop?: PixelCrop, reason?: string): FaceCrop {
  const box = { x1: 10, y1: 10, x2: 40, y2: 48 };
  return {
    trackId,
    box,
    view: 'frontal',
    ...(crop ? { crop } : {}),
    ...(reason ? { reason } : {}),
  };
}

async function load(config: Record<string, unknown> = {}) {
  const flow = wiredFlow({ id: 'mc', type: 'mask-classifier', name: 'masks', ...config });
  await helper.load([maskClassifierNode, catchNode], flow);
  return {
    mc: helper.getNode('mc') as unknown as TestNode,
    out: helper.getNode('out') as unknown as TestNode,
    caught: helper.getNode('caught') as unknown as TestNode,
  };
}

describe('mask-classifier node', function () {
  // Loading a model takes a few seconds on a small, busy CPU.
  this.timeout(60_000);
  useNodeRed();

  it('gives every classified face a verdict whose probabilities sum to one', async () => {
    const { mc, out } = await load({ minScore: 0 });
    const crops = [gradientCrop(40, 48, 3), gradientCrop(30, 30, 1), gradientCrop(64, 80, 4)];
    const received = nextMessage(out);
    mc.receive({ faces: crops.map((c, i) => face(i + 1, c)) });
    const faces = (await received).faces as FaceCrop[];
    expect(faces.map((f) => f.trackId)).to.deep.equal([1, 2, 3]);
    for (const f of faces) {
      const probs = f.verdict!.probs!;
      const values = [probs.mask!, probs.no_mask!, probs.incorrect!];
      expect(values.reduce((a, b) => a + b, 0)).to.be.closeTo(1, PROBABILITY_SUM_TOLERANCE);
      const best = Math.max(...values);
      expect(f.verdict!.score).to.equal(best);
      expect(f.verdict!.label).to.equal(['mask', 'no_mask', 'incorrect'][values.indexOf(best)]);
    }
    expect(statusesOf(mc).at(-1)!.fill).to.equal('green');
  });

  it('says unknown with the reason for faces without a crop, too small, or below min score', async () => {
    const { mc, out } = await load({ minScore: 1, minFacePx: 12 });
    const received = nextMessage(out);
    mc.receive({
      faces: [
        face(1, undefined, 'face not visible'),
        face(2, gradientCrop(1, 1, 3)),
        face(3, gradientCrop(0, 0, 3)),
        face(4, gradientCrop(40, 48, 3)),
      ],
    });
    const verdicts = ((await received).faces as FaceCrop[]).map((f) => f.verdict!);
    expect(verdicts.map((v) => [v.label, v.reason])).to.deep.equal([
      ['unknown', 'face not visible'],
      ['unknown', 'too small'],
      ['unknown', 'too small'],
      ['unknown', 'uncertain'],
    ]);
    expect(verdicts[3]!.probs).to.have.keys('mask', 'no_mask', 'incorrect');
  });

  it('classifies a huge crop by resizing it, and never changes the incoming faces', async () => {
    const { mc, out } = await load();
    const big = face(7, gradientCrop(1200, 1500, 3));
    const bytesBefore = Buffer.from(big.crop!.data);
    const received = nextMessage(out);
    mc.receive({ faces: [big] });
    const [classified] = (await received).faces as FaceCrop[];
    expect(classified!.verdict!.probs).to.have.keys('mask', 'no_mask', 'incorrect');
    expect(big.crop!.data.equals(bytesBefore)).to.equal(true);
  });

  it('fails a message without msg.faces so a Catch node sees it, then classifies the next', async () => {
    const { mc, out, caught } = await load();
    const error = nextMessage(caught);
    mc.receive({ payload: 'no faces here' });
    expect(((await error).error as { message: string }).message).to.match(
      /msg\.faces is missing: wire a face-crop node/,
    );
    const received = nextMessage(out);
    mc.receive({ faces: [face(1, gradientCrop(40, 48, 3))] });
    expect(((await received).faces as FaceCrop[])[0]!.verdict).to.not.equal(undefined);
    const fills = statusesOf(mc).map((s) => s.fill);
    expect(fills.lastIndexOf('red')).to.be.lessThan(fills.lastIndexOf('green'));
  });

  it('fails a crop whose buffer is shorter than its size, naming the field', async () => {
    const { mc, caught } = await load();
    const error = nextMessage(caught);
    const crop = { data: Buffer.alloc(10), width: 4, height: 4, channels: 3 };
    mc.receive({ faces: [face(1, gradientCrop(40, 48, 3)), face(2, crop as PixelCrop)] });
    expect(((await error).error as { message: string }).message).to.equal(
      'RangeError: msg.faces[1].crop.data must hold width × height × channels = 48 bytes, got 10',
    );
  });

  it('shows a red ring naming a missing custom model file, and fails frames with it', async () => {
    const { mc, caught } = await load({ model: 'custom', modelPath: '/nonexistent/head.json' });
    const error = nextMessage(caught);
    mc.receive({ faces: [face(1, gradientCrop(40, 48, 3))] });
    const message = ((await error).error as { message: string }).message;
    expect(message).to.equal(
      'ModelFileError: model file /nonexistent/head.json: not found (shipped models: ' +
        'mobilenetv2-finetuned, mobilenetv2-head; or give a path to an .onnx file)',
    );
    expect(
      statusesOf(mc).some((s) => s.fill === 'red' && /head\.json/.test(s.text ?? '')),
    ).to.equal(true);
  });

  it('names a missing custom .onnx model, not the classifier.json beside it', async () => {
    const { mc, caught } = await load({ model: 'custom', modelPath: '/nonexistent.onnx' });
    const error = nextMessage(caught);
    mc.receive({ faces: [face(1, gradientCrop(40, 48, 3))] });
    const message = ((await error).error as { message: string }).message;
    const missing = 'model file /nonexistent.onnx: not found (shipped models: ';
    expect(message.startsWith(`ModelFileError: ${missing}`)).to.equal(true, message);
    const logged = callsOf(mc, 'error').map(String);
    expect(logged[0]!.startsWith(`cannot load mask classifier: ${missing}`)).to.equal(true);
  });

  it('runs on the CPU with one warning when CUDA is asked for and missing', async () => {
    resetCudaWarningForTests();
    const { mc, out } = await load({ executionProvider: 'cuda', minScore: 0 });
    const received = nextMessage(out);
    mc.receive({ faces: [face(1, gradientCrop(40, 48, 3))] });
    expect(((await received).faces as FaceCrop[])[0]!.verdict!.label).to.not.equal('unknown');
    const warnings = callsOf(mc, 'warn');
    expect(warnings).to.have.length(1);
    expect(String(warnings[0])).to.match(/CUDA execution provider is not available/);
  });

  it('does not start with an unknown execution provider', async () => {
    const { mc } = await load({ executionProvider: 'tpu' });
    expect(callsOf(mc, 'error')).to.deep.equal([
      'executionProvider must be one of cpu / cuda, got "tpu"',
    ]);
    expect(mc.listenerCount('input')).to.equal(0);
  });

  it('does not start with a min score outside [0, 1]', async () => {
    const { mc } = await load({ minScore: 2 });
    expect(callsOf(mc, 'error')).to.deep.equal(['minScore must be between 0 and 1, got 2']);
    expect(mc.listenerCount('input')).to.equal(0);
  });
});
