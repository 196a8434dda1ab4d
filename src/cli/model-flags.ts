/**
 * The `--model` / `--pose-model` flags of the commands: their help lists the shipped names, and a
 * value that is neither a shipped name nor an existing file fails before any video is read, naming
 * the flag and the names there are (a mistyped name would otherwise be reported as a missing path).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHIPPED_CLASSIFIER_MODELS } from '../runtime/mask-classifier-session';
import { SHIPPED_POSE_MODELS } from '../runtime/pose-session';

const POSE_NAMES = Object.keys(SHIPPED_POSE_MODELS);
const CLASSIFIER_NAMES = Object.keys(SHIPPED_CLASSIFIER_MODELS);

export const POSE_MODEL_HELP = `pose model: ${POSE_NAMES.join(', ')}, or a model file`;
export const CLASSIFIER_MODEL_HELP = `mask classifier: ${CLASSIFIER_NAMES.join(', ')}, or a model file`;

/** `value` when it is a shipped pose model or an existing file (undefined: the default). */
export function poseModelFlag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined || POSE_NAMES.includes(value) || existsSync(resolve(value))) return value;
  throw new Error(
    `${flag}: ${JSON.stringify(value)} is no shipped pose model (${POSE_NAMES.join(', ')}) ` +
      `and no file ${resolve(value)} exists`,
  );
}
