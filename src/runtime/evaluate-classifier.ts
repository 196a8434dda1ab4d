/**
 * Scores a mask classifier on labelled face images through the same session and the same
 * gates the node uses. Two readings:
 * - `all`: every face classified by its most probable class, as the paper scores (the table a
 *   reader compares with published figures);
 * - `answered`: the faces the node would give a verdict (not too small, confident enough), and
 *   how many it would call `unknown` instead.
 */
import sharp from 'sharp';
import {
  classificationReport,
  argmax,
  type ClassificationReport,
} from '../core/classification-metrics';
import {
  CLASSIFIER_LABELS,
  isTooSmall,
  REASON_TOO_SMALL,
  verdictFromProbs,
  type ClassifierLabel,
} from '../core/verdict-from-probs';
import type { PixelCrop } from '../core/types';
import { MAX_BATCH, type ClassifyFacesOptions } from './classify-faces';
import type { LabelledFace } from './face-folder';
import type { MaskClassifierSession } from './mask-classifier-session';

export interface EvaluateOptions extends ClassifyFacesOptions {
  /** 2: mask vs no_mask (faces labelled incorrect are left out); 3: all three classes. */
  classes: 2 | 3;
  /** Downscale every face so its longer side is this many pixels first (no upscaling). */
  sizePx?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface Evaluation {
  labels: readonly ClassifierLabel[];
  all: ClassificationReport;
  answered: ClassificationReport;
  /** Faces the node would call `unknown`, by reason. */
  unknown: Record<string, number>;
  coverage: number;
  /** One entry per face: what the gates need to be applied again with other thresholds. */
  records: FaceRecord[];
}

export interface FaceRecord {
  truth: number;
  /** In CLASSIFIER_LABELS order. */
  probs: Float32Array;
  width: number;
  height: number;
}

export async function evaluateClassifier(
  session: MaskClassifierSession,
  faces: readonly LabelledFace[],
  options: EvaluateOptions,
): Promise<Evaluation> {
  const labels = CLASSIFIER_LABELS.slice(0, options.classes);
  const kept = faces.filter((f) => labels.includes(f.label));
  const records: FaceRecord[] = [];
  for (let start = 0; start < kept.length; start += MAX_BATCH) {
    const batch = kept.slice(start, start + MAX_BATCH);
    const crops = await Promise.all(batch.map((f) => readCrop(f.path, options.sizePx)));
    const rows = await session.classify(crops);
    batch.forEach((face, i) => {
      const { width, height } = crops[i]!;
      const probs = inLabelOrder(rows[i]!, session.labels);
      records.push({ truth: labels.indexOf(face.label), probs, width, height });
    });
    options.onProgress?.(Math.min(start + MAX_BATCH, kept.length), kept.length);
  }
  const predicted = records.map((r) => argmax(r.probs.slice(0, labels.length)));
  const gated = applyGates(records, labels, options);
  return {
    labels,
    all: classificationReport(
      labels,
      records.map((r) => r.truth),
      predicted,
    ),
    ...gated,
    records,
  };
}

/** The node's gates over scored faces: the report on the faces it answers, and the rest. */
export function applyGates(
  records: readonly FaceRecord[],
  labels: readonly ClassifierLabel[],
  gates: ClassifyFacesOptions,
): Pick<Evaluation, 'answered' | 'unknown' | 'coverage'> {
  const truth: number[] = [];
  const predicted: number[] = [];
  const unknown: Record<string, number> = {};
  for (const r of records) {
    const reason = isTooSmall(r.width, r.height, gates.minFacePx)
      ? REASON_TOO_SMALL
      : verdictFromProbs(r.probs, gates.minScore).reason;
    if (reason !== undefined) {
      unknown[reason] = (unknown[reason] ?? 0) + 1;
    } else {
      truth.push(r.truth);
      predicted.push(argmax(r.probs.slice(0, labels.length)));
    }
  }
  return {
    answered: classificationReport(labels, truth, predicted),
    unknown,
    coverage: records.length > 0 ? truth.length / records.length : 0,
  };
}

/**
 * An image file as an RGB crop, downscaled so its longer side is `sizePx` when given. A file
 * sharp cannot decode (not an image, truncated) throws naming the file, since a folder of
 * thousands of faces is otherwise searched by hand for the broken one.
 */
export async function readCrop(path: string, sizePx?: number): Promise<PixelCrop> {
  let image = sharp(path).removeAlpha().toColourspace('srgb');
  if (sizePx !== undefined) {
    image = image.resize(sizePx, sizePx, {
      fit: 'inside',
      kernel: 'lanczos3',
      withoutEnlargement: true,
    });
  }
  try {
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new Error(`face image ${path}: cannot be decoded (${why})`);
  }
}

/** Probabilities in CLASSIFIER_LABELS order, 0 for a class the model does not have. */
function inLabelOrder(row: Float32Array, labels: readonly ClassifierLabel[]): Float32Array {
  return Float32Array.from(CLASSIFIER_LABELS, (label) => {
    const i = labels.indexOf(label);
    return i < 0 ? 0 : (row[i] as number);
  });
}
