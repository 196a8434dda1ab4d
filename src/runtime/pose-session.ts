/**
 * The one interface every pose engine implements, so the openpose node, the CLI and the tests do
 * not care whether tfjs or ONNX Runtime runs the network. An engine owns its model, turns a frame
 * into poses in frame pixels, and frees everything in `dispose()`.
 */
import { join } from 'node:path';
import type { Size } from '../core/letterbox';
import type { Frame, Pose } from '../core/types';
import { DEFAULT_MIN_KEYPOINT_SCORE, DEFAULT_MIN_POSE_SCORE } from '../core/movenet-decode';
import { modelsDir } from './models-dir';

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

/** Default network long side; chosen from the measurements in models/movenet-multipose/README.md. */
export const DEFAULT_INPUT_LONG_SIDE = 384;

/** Shipped models, by the name the node's editor offers. */
export const SHIPPED_POSE_MODELS = {
  'movenet-multipose': 'movenet-multipose/movenet-multipose.json',
} as const;

export type ShippedPoseModel = keyof typeof SHIPPED_POSE_MODELS;

export interface PoseSessionOptions {
  /** A shipped model name, or a path to a tfjs model.json of the MoveNet MultiPose format. */
  model?: ShippedPoseModel | string;
  /** The frame's long side is scaled to this (rounded to a multiple of 32). */
  inputLongSide?: number;
  minPoseScore?: number;
  minKeypointScore?: number;
}

export interface ResolvedPoseSessionOptions {
  modelPath: string;
  inputLongSide: number;
  minPoseScore: number;
  minKeypointScore: number;
}

/** Fills defaults and resolves a shipped model name to its file. */
export function resolvePoseSessionOptions(
  options: PoseSessionOptions = {},
): ResolvedPoseSessionOptions {
  const model = options.model ?? 'movenet-multipose';
  const shipped = SHIPPED_POSE_MODELS[model as ShippedPoseModel];
  return {
    modelPath: shipped === undefined ? model : join(modelsDir(), shipped),
    inputLongSide: options.inputLongSide ?? DEFAULT_INPUT_LONG_SIDE,
    minPoseScore: options.minPoseScore ?? DEFAULT_MIN_POSE_SCORE,
    minKeypointScore: options.minKeypointScore ?? DEFAULT_MIN_KEYPOINT_SCORE,
  };
}

/**
 * Loads the model and returns a ready session; rejects with a ModelFileError naming the file when
 * it is missing or malformed.
 */
export async function createPoseSession(options: PoseSessionOptions = {}): Promise<PoseSession> {
  const resolved = resolvePoseSessionOptions(options);
  // Loaded lazily so that code which only needs the interface does not start tfjs.
  const { MoveNetTfjsSession } = await import('./movenet-tfjs-session');
  return MoveNetTfjsSession.load(resolved);
}
