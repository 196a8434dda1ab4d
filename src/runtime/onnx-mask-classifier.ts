/**
 * The shipped mask classifier: a fine-tuned MobileNetV2 exported from PyTorch to ONNX
 * (training/train.py), run in ONNX Runtime. Next to the `.onnx` file, `classifier.json` says
 * its labels, input size and tensor names; the model takes uint8 RGB pixels NHWC and returns
 * softmax probabilities, so the runtime only resizes (./crop-pixels).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { CLASSIFIER_LABELS, type ClassifierLabel } from '../core/verdict-from-probs';
import type { PixelCrop } from '../core/types';
import { CropResizer } from './crop-pixels';
import type { MaskClassifierSession } from './mask-classifier-session';
import {
  acquireOrtSession,
  assertModelFile,
  type ExecutionProvider,
  type FallbackWarn,
  type OrtLease,
} from './ort-session-cache';
import { ModelFileError } from './tfjs-file-io';

/** The file beside every Maskwatch ONNX classifier that describes it. */
export const CLASSIFIER_METADATA_FILE = 'classifier.json';
const METADATA_FORMAT = 'maskwatch-classifier';

export interface ClassifierMetadata {
  labels: ClassifierLabel[];
  inputSize: number;
  /** Names of the input (uint8 [n, size, size, 3]) and output (float32 [n, labels]) tensors. */
  input: string;
  output: string;
}

export interface OnnxClassifierOptions {
  executionProvider?: ExecutionProvider;
  /** Threads one inference may use; 0 lets ONNX Runtime choose. */
  threads?: number;
  /** Where a CUDA → CPU fallback is reported (once per process). */
  warn?: FallbackWarn;
}

export class OnnxMaskClassifier implements MaskClassifierSession {
  readonly modelName: string;
  private disposed = false;

  private constructor(
    private readonly lease: OrtLease,
    private readonly metadata: ClassifierMetadata,
    private readonly resizer: CropResizer,
    path: string,
  ) {
    this.modelName = basename(dirname(path));
  }

  static async load(
    path: string,
    options: OnnxClassifierOptions = {},
  ): Promise<OnnxMaskClassifier> {
    // The model first: a missing model would otherwise be reported as a missing classifier.json.
    await assertModelFile(path);
    const metadata = readClassifierMetadata(join(dirname(path), CLASSIFIER_METADATA_FILE));
    const lease = await acquireOrtSession(
      path,
      { executionProvider: options.executionProvider, threads: options.threads },
      options.warn,
    );
    const { inputNames, outputNames } = lease.session;
    if (!inputNames.includes(metadata.input) || !outputNames.includes(metadata.output)) {
      await lease.release();
      throw new ModelFileError(
        path,
        `must have input "${metadata.input}" and output "${metadata.output}" as ` +
          `${CLASSIFIER_METADATA_FILE} says, has inputs ${JSON.stringify(inputNames)} and ` +
          `outputs ${JSON.stringify(outputNames)}`,
      );
    }
    let resizer: CropResizer;
    try {
      resizer = await CropResizer.create(metadata.inputSize);
    } catch (err) {
      await lease.release();
      throw err;
    }
    return new OnnxMaskClassifier(lease, metadata, resizer, path);
  }

  get labels(): readonly ClassifierLabel[] {
    return this.metadata.labels;
  }

  get inputSize(): number {
    return this.metadata.inputSize;
  }

  /** The provider the session runs on: `cpu` after a CUDA fallback. */
  get executionProvider(): ExecutionProvider {
    return this.lease.executionProvider;
  }

  async classify(crops: readonly PixelCrop[]): Promise<Float32Array[]> {
    this.assertLive();
    if (crops.length === 0) return [];
    return this.classifyPixels(await this.resizer.toPixels(crops), crops.length);
  }

  /**
   * Probabilities of `count` images already at the input size (uint8 RGB NHWC), bypassing the
   * resize: what the reference check of an exported model feeds.
   */
  async classifyPixels(pixels: Uint8Array, count: number): Promise<Float32Array[]> {
    this.assertLive();
    const size = this.inputSize;
    const input = new ort.Tensor('uint8', pixels, [count, size, size, 3]);
    const outputs = await this.lease.session.run({ [this.metadata.input]: input });
    const probs = outputs[this.metadata.output];
    try {
      const k = this.labels.length;
      const flat = probs?.data;
      if (!(flat instanceof Float32Array) || flat.length !== count * k) {
        throw new Error(
          `${this.modelName}: output "${this.metadata.output}" must be float32 [${count}, ${k}], ` +
            `got ${probs?.type} [${probs?.dims.join(', ')}]`,
        );
      }
      return Array.from({ length: count }, (_, i) => flat.slice(i * k, (i + 1) * k));
    } finally {
      for (const tensor of Object.values(outputs)) tensor.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // The lease frees the native session when its last user lets go; nothing here awaits it.
    void this.lease.release();
    void this.resizer.dispose();
  }

  private assertLive(): void {
    if (this.disposed) throw new Error(`mask classifier ${this.modelName} was disposed`);
  }
}

/** Reads and checks classifier.json; the error names the file, the field and the value. */
export function readClassifierMetadata(path: string): ClassifierMetadata {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new ModelFileError(path, 'not found (it must sit beside the model)');
    throw new ModelFileError(path, `is not valid JSON (${(err as Error).message})`);
  }
  if (json.format !== METADATA_FORMAT) {
    throw new ModelFileError(
      path,
      `format must be "${METADATA_FORMAT}", got ${JSON.stringify(json.format)}`,
    );
  }
  const labels = json.labels;
  const known = (l: unknown): l is ClassifierLabel =>
    CLASSIFIER_LABELS.includes(l as ClassifierLabel);
  if (
    !Array.isArray(labels) ||
    labels.length < 2 ||
    !labels.every(known) ||
    new Set(labels).size !== labels.length
  ) {
    throw new ModelFileError(
      path,
      `labels must be 2 or more distinct names of ${JSON.stringify(CLASSIFIER_LABELS)}, got ${JSON.stringify(labels)}`,
    );
  }
  const { inputSize, input, output } = json;
  if (!Number.isInteger(inputSize) || (inputSize as number) < 32) {
    throw new ModelFileError(
      path,
      `inputSize must be an integer ≥ 32, got ${JSON.stringify(inputSize)}`,
    );
  }
  for (const [name, value] of [
    ['input', input],
    ['output', output],
  ] as const) {
    if (typeof value !== 'string' || value === '') {
      throw new ModelFileError(path, `${name} must name a tensor, got ${JSON.stringify(value)}`);
    }
  }
  return {
    labels,
    inputSize: inputSize as number,
    input: input as string,
    output: output as string,
  };
}
