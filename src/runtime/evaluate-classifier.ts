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
}

export async function evaluateClassifier(
  session: MaskClassifierSession,
  faces: readonly LabelledFace[],
  options: EvaluateOptions,
): Promise<Evaluation> {
  const labels = CLASSIFIER_LABELS.slice(0, options.classes);
  const kept = faces.filter((f) => labels.includes(f.label));
  const truth: number[] = [];
  const predicted: number[] = [];
  const answeredTruth: number[] = [];
  const answeredPredicted: number[] = [];
  const unknown: Record<string, number> = {};
  for (let start = 0; start < kept.length; start += MAX_BATCH) {
    const batch = kept.slice(start, start + MAX_BATCH);
    const crops = await Promise.all(batch.map((f) => readCrop(f.path, options.sizePx)));
    const rows = await session.classify(crops);
    batch.forEach((face, i) => {
      const probs = inLabelOrder(rows[i]!, session.labels);
      const t = labels.indexOf(face.label);
      const p = argmax(probs.slice(0, labels.length));
      truth.push(t);
      predicted.push(p);
      const crop = crops[i]!;
      const reason = isTooSmall(crop.width, crop.height, options.minFacePx)
        ? REASON_TOO_SMALL
        : verdictFromProbs(probs, options.minScore).reason;
      if (reason !== undefined) {
        unknown[reason] = (unknown[reason] ?? 0) + 1;
      } else {
        answeredTruth.push(t);
        answeredPredicted.push(p);
      }
    });
    options.onProgress?.(Math.min(start + MAX_BATCH, kept.length), kept.length);
  }
  return {
    labels,
    all: classificationReport(labels, truth, predicted),
    answered: classificationReport(labels, answeredTruth, answeredPredicted),
    unknown,
    coverage: kept.length > 0 ? answeredTruth.length / kept.length : 0,
  };
}

/** An image file as an RGB crop, downscaled so its longer side is `sizePx` when given. */
export async function readCrop(path: string, sizePx?: number): Promise<PixelCrop> {
  let image = sharp(path).removeAlpha().toColourspace('srgb');
  if (sizePx !== undefined) {
    image = image.resize(sizePx, sizePx, {
      fit: 'inside',
      kernel: 'lanczos3',
      withoutEnlargement: true,
    });
  }
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Probabilities in CLASSIFIER_LABELS order, 0 for a class the model does not have. */
function inLabelOrder(row: Float32Array, labels: readonly ClassifierLabel[]): Float32Array {
  return Float32Array.from(CLASSIFIER_LABELS, (label) => {
    const i = labels.indexOf(label);
    return i < 0 ? 0 : (row[i] as number);
  });
}
