/**
 * The classifier's crop resize: bilinear with half-pixel centres when it enlarges, antialiased
 * (a triangle filter widened by the shrink factor) when it shrinks, as torch resizes the
 * training faces. The expected values are worked out by hand. Enlarging, they are torch's
 * (`F.interpolate(x, mode="bilinear", antialias=True, align_corners=False)`); shrinking, ONNX
 * Runtime repeats the border pixel where the filter reaches past the edge, and torch
 * renormalises the weights inside instead, so the two differ in the outermost pixels only.
 */
import { expect } from 'chai';
import type { PixelCrop } from '../../src/core/types';
import * as ort from 'onnxruntime-node';
import { CropResizer, resizeModel } from '../../src/runtime/crop-pixels';

/** A crop whose every row is `row` and every channel the same, with `channels` channels. */
function rows(row: number[], height: number, channels: 1 | 3 | 4): PixelCrop {
  const width = row.length;
  const data = Buffer.alloc(width * height * channels);
  for (let p = 0; p < width * height; p += 1)
    data.fill(row[p % width]!, p * channels, (p + 1) * channels);
  return { data, width, height, channels };
}

/** Red channel of row 0 of an RGB image `size` wide. */
function firstRowRed(pixels: Uint8Array, size: number, image = 0): number[] {
  const start = image * size * size * 3;
  return Array.from({ length: size }, (_, x) => pixels[start + x * 3]!);
}

describe('crop resize (ONNX Runtime Resize)', () => {
  it('enlarges with half-pixel centres: [0, 100] → [0, 25, 75, 100]', async () => {
    const resizer = await CropResizer.create(4);
    try {
      const pixels = await resizer.toPixels([rows([0, 100], 2, 3)]);
      expect(pixels).to.have.length(4 * 4 * 3);
      expect(firstRowRed(pixels, 4)).to.deep.equal([0, 25, 75, 100]);
    } finally {
      await resizer.dispose();
    }
  });

  it('shrinks with an antialiasing filter: [0, 40, 80, 120] → [25, 95], not [20, 100]', async () => {
    const resizer = await CropResizer.create(2);
    try {
      const pixels = await resizer.toPixels([rows([0, 40, 80, 120], 4, 3)]);
      // Weights 0.25, 0.75, 0.75, 0.25 on pixels −1 (the border repeated), 0, 1, 2:
      // (0·0.25 + 0·0.75 + 40·0.75 + 80·0.25) / 2 = 25. Plain bilinear would sample 20; torch,
      // renormalising inside the edge, gives 28.6.
      expect(firstRowRed(pixels, 2)).to.deep.equal([25, 95]);
    } finally {
      await resizer.dispose();
    }
  });

  it('reads grey as three equal channels and drops alpha, each crop at its own place', async () => {
    const resizer = await CropResizer.create(4);
    try {
      const grey = rows([0, 100], 2, 1);
      const rgba = rows([0, 100], 2, 4);
      rgba.data.fill(7, 3, 4); // alpha of the first pixel must not leak into the colour
      const pixels = await resizer.toPixels([grey, rgba]);
      for (const image of [0, 1]) {
        expect(firstRowRed(pixels, 4, image)).to.deep.equal([0, 25, 75, 100]);
        const start = image * 48;
        expect(Array.from(pixels.subarray(start + 3, start + 6))).to.deep.equal([25, 25, 25]);
      }
    } finally {
      await resizer.dispose();
    }
  });

  it('enlarges with tfjs as ONNX Runtime would: the two engines agree within byte rounding', async () => {
    // A 30×20 crop is enlarged by tfjs; the resize model ONNX Runtime runs for larger crops,
    // given the same crop, is the reference.
    const resizer = await CropResizer.create(96);
    const session = await ort.InferenceSession.create(resizeModel(96));
    try {
      const data = Buffer.alloc(30 * 20 * 3);
      data.forEach((_, i) => (data[i] = (i * 13 + (i >> 7) * 29) % 256));
      const ours = await resizer.toPixels([{ data, width: 30, height: 20, channels: 3 }]);
      const input = new ort.Tensor('float32', Float32Array.from(data), [1, 20, 30, 3]);
      const reference = (await session.run({ crop: input })).resized!.data as Float32Array;
      let worst = 0;
      reference.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - ours[k]!))));
      // Rounding to bytes alone moves a value by up to 0.5.
      expect(worst).to.be.at.most(0.5 + 1e-3);
    } finally {
      await session.release();
      await resizer.dispose();
    }
  });

  it('rejects a crop with 2 channels or no pixels, naming its index', async () => {
    const resizer = await CropResizer.create(4);
    try {
      const two = {
        data: Buffer.alloc(8),
        width: 2,
        height: 2,
        channels: 2,
      } as unknown as PixelCrop;
      const empty = { data: Buffer.alloc(0), width: 0, height: 0, channels: 3 } as PixelCrop;
      for (const [crops, pattern] of [
        [[rows([1], 1, 3), two], /crops\[1\]\.channels must be 1, 3 or 4, got 2/],
        [[empty], /crops\[0\] must be at least 1×1 pixels/],
      ] as const) {
        let caught: unknown;
        await resizer.toPixels(crops).catch((err: unknown) => (caught = err));
        expect(String(caught)).to.match(pattern);
      }
    } finally {
      await resizer.dispose();
    }
  });
});
