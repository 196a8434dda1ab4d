/**
 * The one interface every pose engine implements, so the openpose node, the CLI and the tests do
 * not care whether tfjs or ONNX Runtime runs the network. An engine owns its model, turns a frame
 * into poses in frame pixels, and frees everything in `dispose()`.
 */
import { extname, join } from 'node:path';
import type { Size } from '../core/letterbox';
import type { Frame, Pose } from '../core/types';
import { DEFAULT_MIN_KEYPOINT_SCORE, DEFAULT_MIN_POSE_SCORE } from '../core/movenet-decode';
import { modelsDir } from './models-dir';
import type { ExecutionProvider } from './execution-provider';
import type { PoseLayout } from './pose-model-layouts';

export interface PoseSession {
  /** Human-readable model name (file name without extension), for status and logs. */
  readonly modelName: string;
  /**
   * Network input size of the most recent `estimate()` (it follows the frame's aspect); before
   * the first frame, the square of the configured long side.
   */
  readonly inputSize: Size;
  /** Poses found in `frame`, best first, in frame pixels. Never mutates `frame.data`. */
  estimate(frame: Frame): Promise<Pose[]>;
  /** Frees the model and every tensor; the session cannot be used afterwards. */
  dispose(): void;
}

/** Default network long side; chosen from the measurements in models/README.md. */
export const DEFAULT_INPUT_LONG_SIDE = 384;

/** Shipped models, by the name the node's editor offers: file, engine and layout. */
export const SHIPPED_POSE_MODELS = {
  'movenet-multipose': {
    file: 'movenet-multipose/movenet-multipose.onnx',
    engine: 'onnx',
    layout: 'movenet-multipose',
  },
  posenet: { file: 'posenet/posenet.onnx', engine: 'onnx', layout: 'posenet' },
  /** The original tfjs graph model: the numerical reference of the converter, and slower. */
  'movenet-multipose-tfjs': {
    file: 'movenet-multipose/movenet-multipose.json',
    engine: 'tfjs',
    layout: 'movenet-multipose',
  },
} as const satisfies Record<string, { file: string; engine: PoseEngine; layout: PoseLayout }>;

export type ShippedPoseModel = keyof typeof SHIPPED_POSE_MODELS;

export const DEFAULT_POSE_MODEL: ShippedPoseModel = 'movenet-multipose';

export type PoseEngine = 'onnx' | 'tfjs';

export interface PoseSessionOptions {
  /**
   * A shipped model name, or a path: a `.onnx` file (of the family `layout` names) or a tfjs
   * model.json of the MoveNet MultiPose format.
   */
  model?: ShippedPoseModel | string;
  /** Family of a custom ONNX model; shipped models know their own. Default movenet-multipose. */
  layout?: PoseLayout;
  /** The frame's long side is scaled to this (rounded to a multiple of 32). */
  inputLongSide?: number;
  minPoseScore?: number;
  minKeypointScore?: number;
  /**
   * ONNX models: side-by-side tiles a frame is cut into, each estimated at the full input size
   * (1 = the whole frame at once). For wide frames with small people; costs one inference a tile.
   */
  tiles?: number;
  /** ONNX models: where inference runs; CUDA falls back to the CPU (warned once) when missing. */
  executionProvider?: ExecutionProvider;
  /** ONNX models: threads per inference, 0 = ONNX Runtime's choice. */
  threads?: number;
  /** Where degraded-operation warnings go (the CUDA fallback); default process warnings. */
  warn?: (text: string) => void;
}

export interface ResolvedPoseSessionOptions {
  modelPath: string;
  engine: PoseEngine;
  layout: PoseLayout;
  inputLongSide: number;
  minPoseScore: number;
  minKeypointScore: number;
  executionProvider: ExecutionProvider;
  threads: number;
  tiles: number;
  warn?: (text: string) => void;
}

/** Fills defaults and resolves a shipped model name to its file, engine and layout. */
export function resolvePoseSessionOptions(
  options: PoseSessionOptions = {},
): ResolvedPoseSessionOptions {
  const model = options.model ?? DEFAULT_POSE_MODEL;
  const shipped = (
    SHIPPED_POSE_MODELS as Record<string, (typeof SHIPPED_POSE_MODELS)[ShippedPoseModel]>
  )[model];
  const custom = shipped === undefined;
  return {
    modelPath: custom ? model : join(modelsDir(), shipped.file),
    engine: custom ? (extname(model).toLowerCase() === '.json' ? 'tfjs' : 'onnx') : shipped.engine,
    layout: custom ? (options.layout ?? 'movenet-multipose') : shipped.layout,
    inputLongSide: options.inputLongSide ?? DEFAULT_INPUT_LONG_SIDE,
    minPoseScore: options.minPoseScore ?? DEFAULT_MIN_POSE_SCORE,
    minKeypointScore: options.minKeypointScore ?? DEFAULT_MIN_KEYPOINT_SCORE,
    executionProvider: options.executionProvider ?? 'cpu',
    threads: options.threads ?? 0,
    tiles: options.tiles ?? 1,
    warn: options.warn,
  };
}

/**
 * Loads the model and returns a ready session; rejects with a ModelFileError naming the file when
 * it is missing, malformed or of another layout than asked.
 */
export async function createPoseSession(options: PoseSessionOptions = {}): Promise<PoseSession> {
  const resolved = resolvePoseSessionOptions(options);
  // Engines are loaded lazily so that code which only needs the interface starts neither.
  if (resolved.engine === 'tfjs') {
    if (resolved.tiles > 1) {
      throw new RangeError(`tiles needs an ONNX model, got ${resolved.modelPath}`);
    }
    if (resolved.layout !== 'movenet-multipose') {
      throw new RangeError(
        `layout ${resolved.layout} needs an ONNX model, got ${resolved.modelPath}`,
      );
    }
    const { MoveNetTfjsSession } = await import('./movenet-tfjs-session');
    return MoveNetTfjsSession.load(resolved);
  }
  const { OnnxPoseSession } = await import('./onnx-pose-session');
  return OnnxPoseSession.load(resolved);
}
