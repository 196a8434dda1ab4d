/**
 * One behavioural suite over every interchangeable mask-classifier engine: the ONNX Runtime
 * default and the tfjs comparison head answer the same questions the same way.
 */
import { expect } from 'chai';
import type { PixelCrop } from '../../src/core/types';
import { classifyFaces } from '../../src/runtime/classify-faces';
import {
  createMaskClassifierSession,
  type MaskClassifierSession,
} from '../../src/runtime/mask-classifier-session';

/** Float32 engines agree with themselves to this across batch composition and layouts. */
const SAME_IMAGE_TOLERANCE = 1e-5;
const PROBABILITY_SUM_TOLERANCE = 1e-4;

function gradientCrop(width: number, height: number, channels: 1 | 3 | 4, grey = false): PixelCrop {
  const data = Buffer.alloc(width * height * channels);
  for (let i = 0; i < width * height; i += 1) {
    const x = i % width;
    const y = Math.floor(i / width);
    for (let c = 0; c < channels; c += 1) {
      const value = grey ? (x * 5 + y * 3) % 256 : (x * 3 + y * 2 + c * 40) % 256;
      data[i * channels + c] = c === 3 ? (x * 11) % 256 : value;
    }
  }
  return { data, width, height, channels };
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number): void {
  expect(a.length).to.equal(b.length);
  for (let i = 0; i < a.length; i += 1) expect(a[i]).to.be.closeTo(b[i] as number, tolerance);
}

for (const model of ['mobilenetv2-finetuned', 'mobilenetv2-head']) {
  describe(`mask classifier engine ${model}`, function () {
    this.timeout(60_000);
    let session: MaskClassifierSession;
    before(async () => {
      session = await createMaskClassifierSession(model);
    });
    after(() => session.dispose());

    it('returns one row per crop in label order, each summing to one', async () => {
      expect(session.labels).to.deep.equal(['mask', 'no_mask', 'incorrect']);
      const rows = await session.classify([gradientCrop(20, 24, 3), gradientCrop(90, 110, 3)]);
      expect(rows).to.have.length(2);
      for (const row of rows) {
        expect(row).to.have.length(3);
        expect(row.reduce((a, b) => a + b, 0)).to.be.closeTo(1, PROBABILITY_SUM_TOLERANCE);
      }
      expect(await session.classify([])).to.deep.equal([]);
    });

    it('gives a face the same probabilities alone and inside a batch', async () => {
      const a = gradientCrop(33, 41, 3);
      const b = gradientCrop(70, 64, 3);
      const [alone] = await session.classify([a]);
      const [, inBatch] = await session.classify([b, a]);
      expectClose(alone!, inBatch!, SAME_IMAGE_TOLERANCE);
    });

    it('reads a grey crop as the RGB crop with three equal channels', async () => {
      const grey = gradientCrop(36, 44, 1, true);
      const rgb = { ...grey, channels: 3, data: Buffer.alloc(36 * 44 * 3) };
      grey.data.forEach((v, i) => rgb.data.fill(v, i * 3, i * 3 + 3));
      const [fromGrey, fromRgb] = await session.classify([grey, rgb]);
      expectClose(fromGrey!, fromRgb!, SAME_IMAGE_TOLERANCE);
    });

    it('drops the alpha channel of an RGBA crop', async () => {
      const rgba = gradientCrop(36, 44, 4);
      const rgb = { ...rgba, channels: 3, data: Buffer.alloc(36 * 44 * 3) };
      for (let i = 0; i < 36 * 44; i += 1) rgba.data.copy(rgb.data, i * 3, i * 4, i * 4 + 3);
      const [fromRgba, fromRgb] = await session.classify([rgba, rgb]);
      expectClose(fromRgba!, fromRgb!, SAME_IMAGE_TOLERANCE);
    });

    it('classifies one-pixel and huge crops without failing, and leaves the Buffers untouched', async () => {
      const tiny = gradientCrop(1, 1, 3);
      const huge = gradientCrop(2400, 1800, 3);
      const copies = [Buffer.from(tiny.data), Buffer.from(huge.data)];
      const rows = await session.classify([tiny, huge]);
      for (const row of rows) {
        expect(row.reduce((a, b) => a + b, 0)).to.be.closeTo(1, PROBABILITY_SUM_TOLERANCE);
      }
      expect(tiny.data.equals(copies[0]!)).to.equal(true);
      expect(huge.data.equals(copies[1]!)).to.equal(true);
    });

    it('calls empty and one-pixel faces unknown / too small before the network sees them', async () => {
      const box = { x1: 0, y1: 0, x2: 1, y2: 1 };
      const faces = [
        { trackId: 1, box, view: 'frontal' as const, crop: gradientCrop(0, 0, 3) },
        { trackId: 2, box, view: 'frontal' as const, crop: gradientCrop(1, 1, 3) },
      ];
      const out = await classifyFaces(session, faces, { minScore: 0.5, minFacePx: 12 });
      expect(out.map((f) => f.verdict)).to.deep.equal([
        { label: 'unknown', score: 0, reason: 'too small' },
        { label: 'unknown', score: 0, reason: 'too small' },
      ]);
    });

    it('rejects a crop whose Buffer is shorter than its sides say, naming the sizes', async () => {
      const bad = { data: Buffer.alloc(10), width: 8, height: 8, channels: 3 };
      let caught: unknown;
      await session.classify([bad]).catch((err: unknown) => (caught = err));
      expect(String(caught)).to.match(/192/);
    });
  });
}
