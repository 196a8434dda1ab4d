/** The openpose node's settings: parsed and validated once, when the node starts. */
import { isAbsolute, resolve } from 'node:path';
import { NETWORK_STRIDE } from '../../src/core/letterbox';
import { DEFAULT_MIN_KEYPOINT_SCORE, DEFAULT_MIN_POSE_SCORE } from '../../src/core/movenet-decode';
import { MAX_TILES } from '../../src/core/pose-tiles';
import type { Pose } from '../../src/core/types';
import {
  integerAtLeast,
  nonEmptyString,
  numberInRange,
  oneOf,
  orDefault,
  toNumber,
} from '../../src/core/validate';
import { EXECUTION_PROVIDERS } from '../../src/runtime/execution-provider';
import { POSE_LAYOUTS } from '../../src/runtime/pose-model-layouts';
import {
  DEFAULT_INPUT_LONG_SIDE,
  DEFAULT_POSE_MODEL,
  SHIPPED_POSE_MODELS,
  type PoseSessionOptions,
} from '../../src/runtime/pose-session';
import type { NodeDef } from '../common/node-kit';

/** Smallest and largest network long side offered; beyond 1280 a CPU frame takes seconds. */
export const MIN_INPUT_LONG_SIDE = 128;
export const MAX_INPUT_LONG_SIDE = 1280;
/** Most inference threads offered (0 = ONNX Runtime's choice, one per physical core). */
export const MAX_THREADS = 64;

const MODEL_CHOICES = [...Object.keys(SHIPPED_POSE_MODELS), 'custom'] as const;

export interface OpenposeDef extends NodeDef {
  model?: string;
  modelPath?: string;
  layout?: string;
  executionProvider?: string;
  threads?: string | number;
  tiles?: string | number;
  inputLongSide?: string | number;
  minPoseScore?: string | number;
  minKeypointScore?: string | number;
  annotate?: boolean | string;
}

export interface OpenposeConfig {
  session: Required<Pick<PoseSessionOptions, 'model'>> & PoseSessionOptions;
  /** What the status and errors call the model: the shipped name or the custom file path. */
  modelLabel: string;
  annotate: boolean;
}

/**
 * Validates the editor's fields; the error names the field, the rule and the value. A relative
 * custom model path is resolved against `baseDir` (the Node-RED user directory).
 */
export function parseOpenposeConfig(def: OpenposeDef, baseDir: string): OpenposeConfig {
  const model = oneOf('model', orDefault(def.model, DEFAULT_POSE_MODEL), MODEL_CHOICES);
  let modelPath: string = model;
  if (model === 'custom') {
    const path = nonEmptyString('modelPath', def.modelPath).trim();
    modelPath = isAbsolute(path) ? path : resolve(baseDir, path);
  }
  const threads = integerAtLeast('threads', orDefault(def.threads, 0), 0);
  if (threads > MAX_THREADS) {
    throw new RangeError(`threads must be an integer between 0 and ${MAX_THREADS}, got ${threads}`);
  }
  const tiles = integerAtLeast('tiles', orDefault(def.tiles, 1), 1);
  if (tiles > MAX_TILES) {
    throw new RangeError(`tiles must be an integer between 1 and ${MAX_TILES}, got ${tiles}`);
  }
  return {
    session: {
      model: modelPath,
      tiles,
      layout: oneOf('layout', orDefault(def.layout, 'movenet-multipose'), POSE_LAYOUTS),
      executionProvider: oneOf(
        'executionProvider',
        orDefault(def.executionProvider, 'cpu'),
        EXECUTION_PROVIDERS,
      ),
      threads,
      inputLongSide: inputLongSide(orDefault(def.inputLongSide, DEFAULT_INPUT_LONG_SIDE)),
      minPoseScore: numberInRange(
        'minPoseScore',
        orDefault(def.minPoseScore, DEFAULT_MIN_POSE_SCORE),
        0,
        1,
      ),
      minKeypointScore: numberInRange(
        'minKeypointScore',
        orDefault(def.minKeypointScore, DEFAULT_MIN_KEYPOINT_SCORE),
        0,
        1,
      ),
    },
    modelLabel: modelPath,
    annotate: def.annotate !== false && def.annotate !== 'false',
  };
}

function inputLongSide(value: unknown): number {
  const n = toNumber('inputLongSide', value);
  if (
    !Number.isInteger(n) ||
    n % NETWORK_STRIDE !== 0 ||
    n < MIN_INPUT_LONG_SIDE ||
    n > MAX_INPUT_LONG_SIDE
  ) {
    throw new RangeError(
      `inputLongSide must be a multiple of ${NETWORK_STRIDE} between ${MIN_INPUT_LONG_SIDE} ` +
        `and ${MAX_INPUT_LONG_SIDE}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** "3 people · 142 ms · dropped 12": what the last frame gave and what was shed. */
export function poseStatusText(people: number, ms: number, dropped: number): string {
  const noun = people === 1 ? 'person' : 'people';
  const base = `${people} ${noun} · ${Math.round(ms)} ms`;
  return dropped > 0 ? `${base} · dropped ${dropped}` : base;
}

/** One rectangle per pose in the shape the annotate-image node reads (`bbox` is x, y, w, h). */
export function poseAnnotations(poses: readonly Pose[]): Record<string, unknown>[] {
  return poses.map((pose) => ({
    type: 'rect',
    bbox: [pose.box.x1, pose.box.y1, pose.box.x2 - pose.box.x1, pose.box.y2 - pose.box.y1],
    label: `person ${pose.score.toFixed(2)}`,
  }));
}
