/**
 * Face crops of any size and channel count as one uint8 RGB batch, NHWC [n, size, size, 3], the
 * input of the ONNX mask classifier. Grey is expanded to RGB and alpha dropped here; the stretch
 * to `size`×`size` is bilinear with half-pixel centres, antialiased when it shrinks: the
 * resampling the training pipeline applies to its faces (torch's
 * `F.interpolate(mode="bilinear", antialias=True)` in training/train.py).
 *
 * Two engines do the same arithmetic. A crop no larger than `size` on either side (the usual
 * surveillance face) is enlarged by tfjs-core's resizeBilinear in its wasm backend, where the
 * antialias filter has no effect; a crop larger on either side goes to ONNX Runtime's Resize with
 * `antialias`. Measured on a 40×48 test pattern enlarged to 96 px, ONNX Runtime's result equals
 * torch's within float rounding, where sharp's linear kernel differed by 31 grey levels on
 * average; shrunk from 200×180, the two agree inside and differ at the border (ONNX Runtime
 * repeats the edge pixel, torch renormalises). Per 40×48 crop, sharp took about 2 ms (its
 * per-call pipeline set-up), ONNX Runtime 0.42 ms (mostly its binding's per-call cost) and tfjs
 * 0.17 ms: at batch 1 that is a sixth of the classifier's time.
 * Crop Buffers are only read.
 */
import * as ort from 'onnxruntime-node';
import { attr, OnnxGraphBuilder } from '../convert/onnx-graph-builder';
import type { PixelCrop } from '../core/types';
import { ensureTfjsBackend, tf } from './tfjs-backend';

/** Bytes per pixel of the batch: RGB. */
const RGB = 3;
/** The first opset whose Resize has `antialias`. */
const RESIZE_OPSET = 18;
const INPUT = 'crop';
const OUTPUT = 'resized';

/** The one-node ONNX model that stretches an NHWC float image [1, h, w, 3] to `size`×`size`. */
export function resizeModel(size: number): Uint8Array {
  const b = new OnnxGraphBuilder();
  const x = b.addInput({ name: INPUT, dtype: 'float32', dims: [1, 'height', 'width', RGB] });
  const sizes = b.constant('int64', [4], [1, size, size, RGB], 'sizes');
  const [y] = b.node(
    'Resize',
    [x, '', '', sizes],
    'float32',
    [
      attr.string('mode', 'linear'),
      attr.int('antialias', 1),
      attr.string('coordinate_transformation_mode', 'half_pixel'),
    ],
    'resize',
  );
  b.addOutput(y!, OUTPUT);
  return b.encode('maskwatch-crop-resize', {
    opsetVersion: RESIZE_OPSET,
    producerName: 'maskwatch',
    producerVersion: '1',
    docString: `face crop → ${size}×${size} RGB, bilinear, antialiased`,
    metadata: {},
  });
}

/** Resizes crops for one classifier input size; `dispose()` frees its ONNX Runtime session. */
export class CropResizer {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly size: number,
  ) {}

  static async create(size: number): Promise<CropResizer> {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`size must be an integer ≥ 1, got ${size}`);
    }
    await ensureTfjsBackend();
    // One thread: a face is a few thousand pixels, too few to split.
    const session = await ort.InferenceSession.create(resizeModel(size), {
      intraOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    return new CropResizer(session, size);
  }

  /** The crops stretched to size×size, one after another, as uint8 RGB NHWC. */
  async toPixels(crops: readonly PixelCrop[]): Promise<Uint8Array> {
    const plane = this.size * this.size * RGB;
    const out = new Uint8Array(crops.length * plane);
    // Validated before any runs, so a bad crop fails the batch before work is spent on it.
    const images = crops.map((crop, i) => rgbFloats(crop, i));
    for (const [i, image] of images.entries()) {
      const { width, height } = crops[i]!;
      const enlarge = width <= this.size && height <= this.size;
      const values = enlarge
        ? this.enlarge(image, width, height)
        : await this.shrink(image, width, height);
      // A clamped view rounds to the nearest integer (ties to even) and clamps to 0…255.
      new Uint8ClampedArray(out.buffer, i * plane, plane).set(values);
    }
    return out;
  }

  private enlarge(image: Float32Array, width: number, height: number): Float32Array {
    const resized = tf.tidy(() =>
      // alignCorners false, halfPixelCenters true: ONNX Runtime's and torch's `half_pixel`.
      tf.image.resizeBilinear(
        tf.tensor3d(image, [height, width, RGB]),
        [this.size, this.size],
        false,
        true,
      ),
    );
    try {
      return resized.dataSync() as Float32Array;
    } finally {
      resized.dispose();
    }
  }

  private async shrink(image: Float32Array, width: number, height: number): Promise<Float32Array> {
    const input = new ort.Tensor('float32', image, [1, height, width, RGB]);
    const result = await this.session.run({ [INPUT]: input });
    const resized = result[OUTPUT]!;
    try {
      return (resized.data as Float32Array).slice();
    } finally {
      resized.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** The crop's pixels as RGB floats, after checking its sides, channels and data length. */
function rgbFloats(crop: PixelCrop, index: number): Float32Array {
  const { width, height, channels, data } = crop;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new RangeError(`crops[${index}].channels must be 1, 3 or 4, got ${channels}`);
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(
      `crops[${index}] must be at least 1×1 pixels with integer sides, got ${width}×${height}`,
    );
  }
  const needed = width * height * channels;
  if (data.length < needed) {
    throw new RangeError(
      `crops[${index}].data must hold width × height × channels = ${needed} bytes, got ${data.length}`,
    );
  }
  // Limitation: crops are stretched, not padded, so an elongated crop looks squashed; way out:
  // pad to a square here and in training/maskwatch_training/image_cache.py alike, and retrain.
  const pixels = width * height;
  const rgb = new Float32Array(pixels * RGB);
  if (channels === RGB) {
    rgb.set(data.subarray(0, needed));
    return rgb;
  }
  for (let p = 0; p < pixels; p += 1) {
    for (let c = 0; c < RGB; c += 1) {
      rgb[p * RGB + c] = data[p * channels + (channels === 1 ? 0 : c)]!;
    }
  }
  return rgb;
}
