/**
 * One call that scores a tracker result against ground truth in MOT terms: CLEAR MOT (MOTA,
 * MOTP, switches, fragments) and the identity metrics (IDF1), on the same boxes and the same IoU
 * criterion. `maskwatch mot-eval`, the tracker benchmark and the tests all go through here.
 */
import { clearMot, DEFAULT_MOT_MIN_IOU } from './clear-mot';
import { identityMetrics } from './identity-metrics';
import { iou } from './box';
import { assign } from './hungarian';
import { consideredGroundTruth, type MotRow, rowsByFrame } from './mot-format';

export interface MotEvaluation {
  mota: number;
  motp: number;
  idf1: number;
  idp: number;
  idr: number;
  idSwitches: number;
  fragments: number;
  precision: number;
  recall: number;
  /** Distinct identities in the ground truth and in the result. */
  gtIds: number;
  resIds: number;
  matches: number;
  falsePositives: number;
  misses: number;
  gtBoxes: number;
  resBoxes: number;
  mostlyTracked: number;
  partiallyTracked: number;
  mostlyLost: number;
  /** The IoU a correspondence needs. */
  minIou: number;
}

export function evaluateMot(
  gt: readonly MotRow[],
  res: readonly MotRow[],
  minIou = DEFAULT_MOT_MIN_IOU,
): MotEvaluation {
  if (!(minIou > 0 && minIou <= 1)) {
    throw new RangeError(`minIou must be in (0, 1], got ${minIou}`);
  }
  const truth = consideredGroundTruth(gt);
  const kept = withoutIgnoredMatches(gt, res, minIou);
  const clear = clearMot(truth, kept, minIou);
  const identity = identityMetrics(truth, kept, minIou);
  return {
    mota: clear.mota,
    motp: clear.motp,
    idf1: identity.idf1,
    idp: identity.idp,
    idr: identity.idr,
    idSwitches: clear.idSwitches,
    fragments: clear.fragments,
    precision: clear.precision,
    recall: clear.recall,
    gtIds: identity.gtIds,
    resIds: identity.resIds,
    matches: clear.matches,
    falsePositives: clear.falsePositives,
    misses: clear.misses,
    gtBoxes: clear.gtBoxes,
    resBoxes: clear.resBoxes,
    mostlyTracked: clear.mostlyTracked,
    partiallyTracked: clear.partiallyTracked,
    mostlyLost: clear.mostlyLost,
    minIou,
  };
}

/**
 * The result without the boxes that cover ground truth marked not to consider: as in the
 * MOTChallenge devkit, a tracker is neither rewarded nor punished for following such a person.
 * Each ignored box takes at most one result box (an optimal one-to-one match at `minIou`).
 */
function withoutIgnoredMatches(gt: readonly MotRow[], res: readonly MotRow[], minIou: number) {
  const ignored = rowsByFrame(gt.filter((r) => r.score === 0));
  if (ignored.size === 0) return res;
  const dropped = new Set<MotRow>();
  for (const [frame, hypotheses] of rowsByFrame(res)) {
    const objects = ignored.get(frame);
    if (objects === undefined) continue;
    const cost = objects.map((o) => hypotheses.map((h) => 1 - iou(o.box, h.box)));
    for (const [, c] of assign(cost, 1 - minIou).matches) dropped.add(hypotheses[c]);
  }
  return res.filter((r) => !dropped.has(r));
}

/** Rates rounded to 4 decimals for printing; counts stay exact. */
export function roundEvaluation(e: MotEvaluation): MotEvaluation {
  const r = (v: number): number => Math.round(v * 1e4) / 1e4;
  return {
    ...e,
    mota: r(e.mota),
    motp: r(e.motp),
    idf1: r(e.idf1),
    idp: r(e.idp),
    idr: r(e.idr),
    precision: r(e.precision),
    recall: r(e.recall),
  };
}
