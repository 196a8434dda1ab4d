/**
 * One call that scores a tracker result against ground truth in MOT terms: CLEAR MOT (MOTA,
 * MOTP, switches, fragments) and the identity metrics (IDF1), on the same boxes and the same IoU
 * criterion. `maskwatch mot-eval`, the tracker benchmark and the tests all go through here.
 */
import { clearMot, DEFAULT_MOT_MIN_IOU } from './clear-mot';
import { identityMetrics } from './identity-metrics';
import { consideredGroundTruth, type MotRow } from './mot-format';

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
  const clear = clearMot(truth, res, minIou);
  const identity = identityMetrics(truth, res, minIou);
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
