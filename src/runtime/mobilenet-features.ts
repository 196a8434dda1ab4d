/**
 * The frozen MobileNetV2 feature extractor (models/mobilenetv2-nsfwjs): crops in, 1280-d
 * globally average-pooled `out_relu` activations out.
 */
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { PixelCrop } from '../core/types';
import { cropsToBatch } from './crop-batch';
import { loadLayersModelFromDir } from './layers-model-io';
import { ensureTfjsBackend, tf, type TfjsBackendName } from './tfjs-backend';

/** Where the backbone ships, relative to the compiled file (dist/src/runtime). */
export const DEFAULT_BACKBONE_DIR = join(
  __dirname,
  '..',
  '..',
  '..',
  'models',
  'mobilenetv2-nsfwjs',
);

/** Width of the pooled feature vector (MobileNetV2 alpha 1.0, the `Conv_1` filters). */
export const BACKBONE_FEATURES = 1280;

export class MobileNetFeatures {
  private constructor(
    private readonly model: tfl.LayersModel,
    readonly inputSize: number,
    readonly backend: TfjsBackendName,
  ) {}

  static async load(
    inputSize: number,
    backboneDir = DEFAULT_BACKBONE_DIR,
    backend: TfjsBackendName = 'wasm',
  ): Promise<MobileNetFeatures> {
    const chosen = await ensureTfjsBackend(backend);
    const model = await loadLayersModelFromDir(backboneDir);
    return new MobileNetFeatures(model, inputSize, chosen);
  }

  /** [n, 1280] features of a [n, size, size, 3] batch in [0, 1]; the caller disposes it. */
  fromBatch(batch: tf.Tensor4D): tf.Tensor2D {
    return this.model.predict(batch) as tf.Tensor2D;
  }

  /** Features of crops as plain rows (for caching and training). */
  async fromCrops(crops: readonly PixelCrop[]): Promise<Float32Array[]> {
    const features = tf.tidy(() => this.fromBatch(cropsToBatch(crops, this.inputSize)));
    const flat = (await features.data()) as Float32Array;
    features.dispose();
    return crops.map((_, i) => flat.slice(i * BACKBONE_FEATURES, (i + 1) * BACKBONE_FEATURES));
  }

  dispose(): void {
    this.model.dispose();
  }
}
