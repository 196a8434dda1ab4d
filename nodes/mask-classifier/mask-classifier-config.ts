/** The mask-classifier node's settings: parsed and validated once, when the node starts. */
import { isAbsolute, resolve } from 'node:path';
import type { FaceCrop } from '../../src/core/types';
import {
  integerAtLeast,
  nonEmptyString,
  numberInRange,
  oneOf,
  orDefault,
} from '../../src/core/validate';
import {
  DEFAULT_MIN_FACE_PX,
  DEFAULT_MIN_SCORE,
  type ClassifyFacesOptions,
} from '../../src/runtime/classify-faces';
import {
  DEFAULT_CLASSIFIER_MODEL,
  SHIPPED_CLASSIFIER_MODELS,
} from '../../src/runtime/mask-classifier-session';
import { EXECUTION_PROVIDERS, type ExecutionProvider } from '../../src/runtime/execution-provider';
import type { NodeDef } from '../common/node-kit';

const MODEL_CHOICES = [...Object.keys(SHIPPED_CLASSIFIER_MODELS), 'custom'] as const;

export interface MaskClassifierDef extends NodeDef {
  model?: string;
  modelPath?: string;
  minScore?: string | number;
  minFacePx?: string | number;
  executionProvider?: string;
}

export interface MaskClassifierConfig {
  /** A shipped model name or an absolute model path. */
  model: string;
  /** Where an ONNX model runs; `cuda` falls back to the CPU with a warning. */
  executionProvider: ExecutionProvider;
  faces: ClassifyFacesOptions;
}

/** Validates the editor's fields; a relative custom path is resolved against `baseDir`. */
export function parseMaskClassifierConfig(
  def: MaskClassifierDef,
  baseDir: string,
): MaskClassifierConfig {
  const choice = oneOf('model', orDefault(def.model, DEFAULT_CLASSIFIER_MODEL), MODEL_CHOICES);
  let model: string = choice;
  if (choice === 'custom') {
    const path = nonEmptyString('modelPath', def.modelPath).trim();
    model = isAbsolute(path) ? path : resolve(baseDir, path);
  }
  return {
    model,
    executionProvider: oneOf(
      'executionProvider',
      orDefault(def.executionProvider, 'cpu'),
      EXECUTION_PROVIDERS,
    ),
    faces: {
      minScore: numberInRange('minScore', orDefault(def.minScore, DEFAULT_MIN_SCORE), 0, 1),
      minFacePx: integerAtLeast('minFacePx', orDefault(def.minFacePx, DEFAULT_MIN_FACE_PX), 1),
    },
  };
}

/** "2 mask · 1 no_mask · 1 unknown · 31 ms": the verdicts of the last frame. */
export function verdictStatusText(faces: readonly FaceCrop[], ms: number, dropped: number): string {
  const counts = new Map<string, number>();
  for (const f of faces) {
    const label = f.verdict?.label ?? 'unknown';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const parts = [...counts].map(([label, n]) => `${n} ${label}`);
  const base = `${parts.length > 0 ? parts.join(' · ') : 'no faces'} · ${Math.round(ms)} ms`;
  return dropped > 0 ? `${base} · dropped ${dropped}` : base;
}
