/**
 * Confusion matrix and per-class precision / recall / F1 for a classifier's predictions, plus
 * the two ways of reading a 3-class result as mask vs no-mask.
 */

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose truth is this class. */
  support: number;
}

export interface ClassificationReport {
  labels: readonly string[];
  /** confusion[truth][predicted] counts. */
  confusion: number[][];
  perClass: ClassMetrics[];
  accuracy: number;
  macroF1: number;
  count: number;
}

/** `truth` and `predicted` are class indices into `labels`. */
export function classificationReport(
  labels: readonly string[],
  truth: readonly number[],
  predicted: readonly number[],
): ClassificationReport {
  if (truth.length !== predicted.length) {
    throw new RangeError(
      `truth and predicted lengths differ: ${truth.length} vs ${predicted.length}`,
    );
  }
  const k = labels.length;
  const confusion = labels.map(() => new Array<number>(k).fill(0));
  truth.forEach((t, i) => {
    const p = predicted[i] as number;
    if (!(t >= 0 && t < k && p >= 0 && p < k))
      throw new RangeError(`class index out of range at ${i}`);
    (confusion[t] as number[])[p] += 1;
  });
  const perClass = labels.map((label, c) => {
    const tp = (confusion[c] as number[])[c] as number;
    const support = (confusion[c] as number[]).reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + (row[c] as number), 0);
    const precision = predictedCount > 0 ? tp / predictedCount : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const correct = labels.reduce((a, _, c) => a + ((confusion[c] as number[])[c] as number), 0);
  return {
    labels,
    confusion,
    perClass,
    accuracy: truth.length > 0 ? correct / truth.length : 0,
    macroF1: perClass.reduce((a, m) => a + m.f1, 0) / k,
    count: truth.length,
  };
}

/** Index of the largest entry (first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i += 1) {
    if ((values[i] as number) > (values[best] as number)) best = i;
  }
  return best;
}

/**
 * 2-class reading of 3-class output (classes mask=0, no_mask=1, incorrect=2):
 * - `merged`: a badly worn mask is non-compliant, so truth and prediction `incorrect` count as
 *   `no_mask`;
 * - `excluded`: examples whose truth is `incorrect` are dropped, and the prediction is the larger
 *   of the mask and no_mask probabilities.
 */
export function twoClassView(
  mode: 'merged' | 'excluded',
  truth: readonly number[],
  probs: readonly ArrayLike<number>[],
): { truth: number[]; predicted: number[] } {
  const out = { truth: [] as number[], predicted: [] as number[] };
  truth.forEach((t, i) => {
    const p = probs[i] as ArrayLike<number>;
    if (mode === 'merged') {
      out.truth.push(t === 0 ? 0 : 1);
      out.predicted.push(argmax(p) === 0 ? 0 : 1);
    } else if (t !== 2) {
      out.truth.push(t);
      out.predicted.push((p[0] as number) >= (p[1] as number) ? 0 : 1);
    }
  });
  return out;
}

/** What a confidence threshold keeps: share of examples, and the accuracy on those kept. */
export interface AbstentionPoint {
  threshold: number;
  /** Share of examples whose top probability is ≥ threshold. */
  coverage: number;
  /** Accuracy on the kept examples; null when none is kept. */
  keptAccuracy: number | null;
}

/**
 * For each threshold, how many predictions a classifier would keep if it said `unknown` below it,
 * and how often the kept ones are right: the figures behind an abstention threshold.
 */
export function abstentionCurve(
  truth: readonly number[],
  probs: readonly ArrayLike<number>[],
  thresholds: readonly number[],
): AbstentionPoint[] {
  if (truth.length !== probs.length) {
    throw new RangeError(`truth and probs lengths differ: ${truth.length} vs ${probs.length}`);
  }
  return thresholds.map((threshold) => {
    let kept = 0;
    let right = 0;
    probs.forEach((p, i) => {
      const best = argmax(p);
      if ((p[best] as number) < threshold) return;
      kept += 1;
      if (best === truth[i]) right += 1;
    });
    return {
      threshold,
      coverage: truth.length > 0 ? kept / truth.length : 0,
      keptAccuracy: kept > 0 ? right / kept : null,
    };
  });
}
