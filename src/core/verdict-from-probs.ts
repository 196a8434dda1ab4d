/**
 * From classifier probabilities to a verdict: the best class wins when it is confident enough,
 * otherwise the verdict is `unknown` with the probabilities kept so downstream vote smoothing
 * can still use them.
 */
import type { Verdict, VerdictLabel } from './types';

/** The classifier's output order (the head's softmax units). */
export const CLASSIFIER_LABELS = ['mask', 'no_mask', 'incorrect'] as const;
export type ClassifierLabel = (typeof CLASSIFIER_LABELS)[number];

/** Reasons for an `unknown` verdict, as written on `verdict.reason`. */
export const REASON_TOO_SMALL = 'too small';
export const REASON_UNCERTAIN = 'uncertain';

/** `probs` in CLASSIFIER_LABELS order; a top probability below `minScore` gives `unknown`. */
export function verdictFromProbs(probs: ArrayLike<number>, minScore: number): Verdict {
  if (probs.length !== CLASSIFIER_LABELS.length) {
    throw new RangeError(
      `probs must have ${CLASSIFIER_LABELS.length} entries (${CLASSIFIER_LABELS.join(', ')}), got ${probs.length}`,
    );
  }
  const named: Partial<Record<Exclude<VerdictLabel, 'unknown'>, number>> = {};
  let best = 0;
  for (let i = 0; i < CLASSIFIER_LABELS.length; i += 1) {
    const p = probs[i] as number;
    if (!Number.isFinite(p)) throw new RangeError(`probs[${i}] must be finite, got ${p}`);
    named[CLASSIFIER_LABELS[i] as ClassifierLabel] = p;
    if (p > (probs[best] as number)) best = i;
  }
  const score = probs[best] as number;
  if (score < minScore) return { label: 'unknown', score, probs: named, reason: REASON_UNCERTAIN };
  return { label: CLASSIFIER_LABELS[best] as ClassifierLabel, score, probs: named };
}

/** True when a crop is too small to classify: empty, or its shorter side below `minFacePx`. */
export function isTooSmall(width: number, height: number, minFacePx: number): boolean {
  return width <= 0 || height <= 0 || Math.min(width, height) < minFacePx;
}

/** The verdict for a crop that was not classified because of its size. */
export function tooSmallVerdict(): Verdict {
  return { label: 'unknown', score: 0, reason: REASON_TOO_SMALL };
}
