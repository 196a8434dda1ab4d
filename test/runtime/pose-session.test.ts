import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMotTruth, matchFrame } from '../../src/core/detection-metrics';
import type { Frame } from '../../src/core/types';
import { liveOrtSessions, resetCudaWarningForTests } from '../../src/runtime/ort-session-cache';
import { createPoseSession, type ShippedPoseModel } from '../../src/runtime/pose-session';
import { modelsDir } from '../../src/runtime/models-dir';
import { ModelFileError } from '../../src/runtime/tfjs-file-io';
import { demoClip, NO_CLIP_REASON, repoRoot, decodeClipFrame } from '../support/demo-media';

const WIDTH = 768;
const HEIGHT = 576;
/** Excerpt frame 120 (0-based) is PETS09-S2L1 frame 121: seven people, 65–91 px tall. */
const FRAME = 120;
const TRUTH = parseMotTruth(
  readFileSync(join(repoRoot(), 'test', 'fixtures', 'pets09-s2l1-gt-frames-21-121.txt'), 'utf8'),
  WIDTH,
  HEIGHT,
).get(FRAME + 1)!;

function decodeFrame(clip: string, index: number): Frame {
  return decodeClipFrame(clip, index, WIDTH, HEIGHT);
}

/** Same pixels with an alpha channel, or as grey: every engine must accept 1, 3 and 4 channels. */
function withChannels(frame: Frame, channels: 1 | 4): Frame {
  const n = frame.width * frame.height;
  const data = Buffer.alloc(n * channels);
  for (let i = 0; i < n; i += 1) {
    const [r, g, b] = [frame.data[i * 3]!, frame.data[i * 3 + 1]!, frame.data[i * 3 + 2]!];
    if (channels === 1) data[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    else data.set([r, g, b, 255], i * 4);
  }
  return { ...frame, data, channels };
}

/**
 * One behavioural suite for every interchangeable engine. `minFound` is what each finds of the
 * seven people at IoU ≥ 0.5 at the default input size, measured: MoveNet 5, PoseNet 2 (it
 * needs a larger input for people this small; see models/README.md).
 */
const ENGINES: { model: ShippedPoseModel; minFound: number }[] = [
  { model: 'movenet-multipose', minFound: 5 },
  { model: 'posenet', minFound: 2 },
  { model: 'movenet-multipose-tfjs', minFound: 5 },
];

describe('pose sessions (every engine)', function () {
  let frame: Frame;
  before(function () {
    const clip = demoClip('pets09-excerpt');
    if (clip === undefined) {
      console.log(`      skipped: ${NO_CLIP_REASON}`);
      this.skip();
    }
    frame = decodeFrame(clip!, FRAME);
  });

  for (const { model, minFound } of ENGINES) {
    describe(model, () => {
      it(`finds at least ${minFound} of the 7 people of PETS09 frame 121, in frame pixels`, async () => {
        const session = await createPoseSession({ model });
        try {
          const before = Buffer.from(frame.data);
          const poses = await session.estimate(frame);
          expect(frame.data.equals(before), 'frame bytes unchanged').to.equal(true);
          const { truePositives } = matchFrame(
            poses.map((p) => p.box),
            TRUTH,
          );
          expect(truePositives).to.be.at.least(minFound);
          for (const pose of poses) {
            expect(pose.score).to.be.within(0, 1);
            expect(pose.box.x1).to.be.at.least(0);
            expect(pose.box.x2).to.be.at.most(WIDTH);
            expect(pose.box.y2).to.be.at.most(HEIGHT);
            for (const k of pose.keypoints) {
              expect(k.x).to.be.within(0, WIDTH);
              expect(k.y).to.be.within(0, HEIGHT);
            }
          }
          // Scores are sorted, best first.
          const scores = poses.map((p) => p.score);
          expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
          // RGBA and grey frames go through the same letterbox.
          expect(await session.estimate(withChannels(frame, 4))).to.have.length(poses.length);
          expect((await session.estimate(withChannels(frame, 1))).length).to.be.above(0);
        } finally {
          session.dispose();
        }
      });

      it('refuses to estimate once disposed', async () => {
        const session = await createPoseSession({ model, inputLongSide: 256 });
        session.dispose();
        session.dispose(); // twice is harmless
        let caught: unknown;
        await session.estimate(frame).catch((err: unknown) => (caught = err));
        expect(String(caught)).to.match(/disposed/);
      });
    });
  }
});

describe('tiled estimation', function () {
  it('finds the PETS09 people in two side-by-side tiles, once each, in frame pixels', async function () {
    const clip = demoClip('pets09-excerpt');
    if (clip === undefined) this.skip();
    const frame = decodeFrame(clip!, FRAME);
    const session = await createPoseSession({ model: 'movenet-multipose', tiles: 2 });
    try {
      const poses = await session.estimate(frame);
      // Each tile is 461×576, so the network runs portrait: more pixels per person.
      expect(session.inputSize).to.deep.equal({ width: 288, height: 384 });
      const counts = matchFrame(
        poses.map((p) => p.box),
        TRUTH,
      );
      expect(counts.truePositives).to.be.at.least(5);
      expect(counts.falsePositives, 'no person twice').to.be.at.most(1);
      for (const pose of poses) expect(pose.box.x2).to.be.at.most(WIDTH);
    } finally {
      session.dispose();
    }
  });
});

describe('ONNX Runtime session sharing', () => {
  it('loads one session per model file and frees it when the last user disposes', async () => {
    const before = liveOrtSessions();
    const a = await createPoseSession({ model: 'posenet' });
    const b = await createPoseSession({ model: 'posenet', inputLongSide: 512 });
    expect(liveOrtSessions()).to.equal(before + 1);
    const c = await createPoseSession({ model: 'posenet', threads: 1 });
    expect(liveOrtSessions(), 'other engine settings, own session').to.equal(before + 2);
    a.dispose();
    c.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    expect(liveOrtSessions()).to.equal(before + 1);
    b.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    expect(liveOrtSessions()).to.equal(before);
  });

  it('falls back to the CPU when CUDA is missing, and warns once', async () => {
    resetCudaWarningForTests();
    const warnings: string[] = [];
    const warn = (text: string): void => void warnings.push(text);
    const a = await createPoseSession({ model: 'posenet', executionProvider: 'cuda', warn });
    const b = await createPoseSession({
      model: 'movenet-multipose',
      executionProvider: 'cuda',
      warn,
    });
    try {
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/CUDA execution provider is not available.*running on the CPU/);
      expect((a as unknown as { executionProvider: string }).executionProvider).to.equal('cpu');
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});

describe('pose model files that cannot be used', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'maskwatch-pose-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function failure(options: Parameters<typeof createPoseSession>[0]): Promise<Error> {
    let caught: unknown;
    await createPoseSession(options).then(
      (s) => s.dispose(),
      (err: unknown) => (caught = err),
    );
    expect(caught, 'an error').to.be.instanceOf(Error);
    return caught as Error;
  }

  it('names the missing file', async () => {
    const path = join(dir, 'nothing-here.onnx');
    const err = await failure({ model: path });
    expect(err).to.be.instanceOf(ModelFileError);
    expect(err.message).to.equal(`model file ${path}: not found`);
  });

  it('says a corrupt file is not a loadable ONNX model', async () => {
    const path = join(dir, 'corrupt.onnx');
    writeFileSync(path, Buffer.from('this is not a protobuf model'));
    const err = await failure({ model: path });
    expect(err.message).to.include(path).and.to.include('is not a loadable ONNX model');
  });

  it('says which input a model of another layout has', async () => {
    const path = join(modelsDir(), 'posenet', 'posenet.onnx');
    const err = await failure({ model: path, layout: 'movenet-multipose' });
    expect(err.message)
      .to.include(path)
      .and.to.include('wrong input for the movenet-multipose layout')
      .and.to.include('got inputs image:float32[1, height, width, 3]');
  });

  it('says a tfjs model.json that is not JSON is not valid JSON', async () => {
    const path = join(dir, 'model.json');
    writeFileSync(path, 'not json');
    const err = await failure({ model: path });
    expect(err.message).to.include(path).and.to.include('not valid JSON');
  });
});
