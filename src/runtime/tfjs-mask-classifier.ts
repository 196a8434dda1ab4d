/**
 * The first mask classifier: the frozen MobileNetV2 backbone (models/mobilenetv2-nsfwjs) and a
 * small dense head trained on its pooled features (training/train-head.ts), both in tfjs.
 * The head's model.json says, under `maskwatch`, its labels, input size and backbone folder.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { CLASSIFIER_LABELS, type ClassifierLabel } from '../core/verdict-from-probs';
import type { PixelCrop } from '../core/types';
import { cropsToBatch } from './crop-batch';
import type { MaskClassifierSession } from './mask-classifier-session';
import { MobileNetFeatures } from './mobilenet-features';
import { ensureTfjsBackend, tf } from './tfjs-backend';
import { fileModelHandler, ModelFileError } from './tfjs-file-io';

/** What training/train-head.ts writes under `maskwatch` in the head's model.json. */
export interface HeadMetadata {
  labels: ClassifierLabel[];
  inputSize: number;
  /** Backbone folder, relative to the head's folder. */
  backbone: string;
}

export class TfjsMaskClassifier implements MaskClassifierSession {
  readonly modelName: string;
  private disposed = false;

  private constructor(
    private readonly backbone: MobileNetFeatures,
    private readonly head: tfl.LayersModel,
    private readonly metadata: HeadMetadata,
    path: string,
  ) {
    this.modelName = basename(dirname(path));
  }

  static async load(path: string): Promise<TfjsMaskClassifier> {
    await ensureTfjsBackend();
    const metadata = readHeadMetadata(path);
    let head: tfl.LayersModel;
    try {
      head = await tfl.loadLayersModel(fileModelHandler(path));
    } catch (err) {
      if (err instanceof ModelFileError) throw err;
      throw new ModelFileError(path, `is not a loadable tfjs layers model (${String(err)})`);
    }
    const backboneDir = resolve(dirname(path), metadata.backbone);
    let backbone: MobileNetFeatures;
    try {
      backbone = await MobileNetFeatures.load(metadata.inputSize, backboneDir);
    } catch (err) {
      head.dispose();
      throw err;
    }
    return new TfjsMaskClassifier(backbone, head, metadata, path);
  }

  get labels(): readonly ClassifierLabel[] {
    return this.metadata.labels;
  }

  get inputSize(): number {
    return this.metadata.inputSize;
  }

  async classify(crops: readonly PixelCrop[]): Promise<Float32Array[]> {
    if (this.disposed) throw new Error(`mask classifier ${this.modelName} was disposed`);
    if (crops.length === 0) return [];
    const probs = tf.tidy(() => {
      const features = this.backbone.fromBatch(cropsToBatch(crops, this.inputSize));
      return this.head.predict(features) as tf.Tensor2D;
    });
    let flat: Float32Array;
    try {
      flat = (await probs.data()) as Float32Array;
    } finally {
      probs.dispose();
    }
    const k = this.labels.length;
    return crops.map((_, i) => flat.slice(i * k, (i + 1) * k));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.head.dispose();
    this.backbone.dispose();
  }
}

/** Reads and checks the `maskwatch` block; the error names the file and the bad field. */
export function readHeadMetadata(path: string): HeadMetadata {
  let json: { maskwatch?: Partial<HeadMetadata> };
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as typeof json;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelFileError(path, 'not found');
    throw new ModelFileError(path, `is not valid JSON (${(err as Error).message})`);
  }
  const meta = json?.maskwatch;
  if (typeof meta !== 'object' || meta === null) {
    throw new ModelFileError(path, 'has no "maskwatch" block: not a Maskwatch classifier head');
  }
  const labels = meta.labels;
  if (
    !Array.isArray(labels) ||
    labels.length !== CLASSIFIER_LABELS.length ||
    labels.some((l, i) => l !== CLASSIFIER_LABELS[i])
  ) {
    throw new ModelFileError(
      path,
      `maskwatch.labels must be ${JSON.stringify(CLASSIFIER_LABELS)}, got ${JSON.stringify(labels)}`,
    );
  }
  if (!Number.isInteger(meta.inputSize) || (meta.inputSize as number) < 32) {
    throw new ModelFileError(
      path,
      `maskwatch.inputSize must be an integer ≥ 32, got ${meta.inputSize}`,
    );
  }
  if (typeof meta.backbone !== 'string' || meta.backbone === '') {
    throw new ModelFileError(path, 'maskwatch.backbone must name the backbone folder');
  }
  return { labels: [...labels], inputSize: meta.inputSize as number, backbone: meta.backbone };
}
