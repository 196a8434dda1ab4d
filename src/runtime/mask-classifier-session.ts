/**
 * The one interface every mask-classifier engine implements, so the node, the CLI and the
 * evaluation do not care which runtime runs the network. An engine owns its model, turns face
 * crops into class probabilities, and frees everything in `dispose()`.
 */
import { existsSync } from 'node:fs';
import { extname, isAbsolute, join } from 'node:path';
import type { ClassifierLabel } from '../core/verdict-from-probs';
import type { PixelCrop } from '../core/types';
import { modelsDir } from './models-dir';
import type { ExecutionProvider, FallbackWarn } from './ort-session-cache';
import { ModelFileError } from './tfjs-file-io';

export interface MaskClassifierSession {
  /** Human-readable model name, for status and logs. */
  readonly modelName: string;
  /** The order of the probabilities `classify` returns. */
  readonly labels: readonly ClassifierLabel[];
  /** Side of the square network input every crop is resized to. */
  readonly inputSize: number;
  /**
   * Class probabilities of each crop, in `labels` order. Crops of any size with 1, 3 or 4
   * channels are accepted; their Buffers are only read.
   */
  classify(crops: readonly PixelCrop[]): Promise<Float32Array[]>;
  /** Frees the model and every tensor; the session cannot be used afterwards. */
  dispose(): void;
}

/**
 * Shipped classifiers, by the name the node's editor offers. The default is the fine-tuned
 * MobileNetV2 in ONNX Runtime; the frozen-backbone tfjs head stays as a comparison engine.
 */
export const SHIPPED_CLASSIFIER_MODELS = {
  'mobilenetv2-finetuned': 'mask-classifier-mnv2/mask-classifier.onnx',
  'mobilenetv2-head': 'mask-classifier-head/model.json',
} as const;

export type ShippedClassifierModel = keyof typeof SHIPPED_CLASSIFIER_MODELS;

export const DEFAULT_CLASSIFIER_MODEL: ShippedClassifierModel = 'mobilenetv2-finetuned';

export interface ClassifierEngineOptions {
  /** ONNX models only: `cuda` falls back to the CPU, with one warning, where CUDA is missing. */
  executionProvider?: ExecutionProvider;
  /** ONNX models only: threads one inference may use; 0 lets ONNX Runtime choose. */
  threads?: number;
  /** Where degraded operation (the CUDA fallback) is reported. */
  warn?: FallbackWarn;
}

/**
 * A shipped model name, or a path to a model file (absolute, or relative to the working folder).
 * A path with no file behind it throws a ModelFileError that lists the shipped names, since a
 * mistyped name reaches here as a path.
 */
export function resolveClassifierModel(model: string = DEFAULT_CLASSIFIER_MODEL): string {
  // A shipped model also answers to its folder in models/ (`mask-classifier-mnv2`), the name
  // reports and statuses give it.
  const shipped =
    SHIPPED_CLASSIFIER_MODELS[model as ShippedClassifierModel] ??
    Object.values(SHIPPED_CLASSIFIER_MODELS).find((file) => file.split('/')[0] === model);
  if (shipped !== undefined) return join(modelsDir(), shipped);
  const path = isAbsolute(model) ? model : join(process.cwd(), model);
  if (!existsSync(path)) {
    const names = Object.keys(SHIPPED_CLASSIFIER_MODELS).join(', ');
    throw new ModelFileError(
      path,
      `not found (shipped models: ${names}; or give a path to an .onnx file)`,
    );
  }
  return path;
}

/**
 * Loads the model and returns a ready session: an `.onnx` file runs in ONNX Runtime, a tfjs
 * head's `model.json` in tfjs. Rejects with a ModelFileError naming the file when it is missing
 * or malformed.
 */
export async function createMaskClassifierSession(
  model: string = DEFAULT_CLASSIFIER_MODEL,
  options: ClassifierEngineOptions = {},
): Promise<MaskClassifierSession> {
  const path = resolveClassifierModel(model);
  // Engines load lazily, so code that only needs the interface starts neither runtime.
  if (extname(path).toLowerCase() === '.onnx') {
    const { OnnxMaskClassifier } = await import('./onnx-mask-classifier');
    return OnnxMaskClassifier.load(path, options);
  }
  if (extname(path).toLowerCase() !== '.json') {
    throw new ModelFileError(
      path,
      'is neither an .onnx model nor a tfjs model.json (the file name says which it is)',
    );
  }
  const { TfjsMaskClassifier } = await import('./tfjs-mask-classifier');
  return TfjsMaskClassifier.load(path);
}
