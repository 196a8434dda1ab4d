/**
 * Identity metrics IDF1, IDP and IDR, written from Ristani et al., "Performance Measures and a
 * Data Set for Multi-Target, Multi-Camera Tracking" (ECCV 2016 workshops).
 *
 * Each ground-truth trajectory is paired with at most one tracker trajectory for the whole
 * sequence, so that identity-true-positives — boxes whose pair overlaps (IoU ≥ 0.5) in that frame
 * — are as many as possible. Unlike CLEAR MOT's switch count, this punishes a tracker for every
 * frame it spends on the wrong id, not once per switch.
 *
 * The paper builds a bipartite graph with one "false negative" node per tracker trajectory and
 * one "false positive" node per truth trajectory, and pairs τ (|τ| boxes) with γ (|γ| boxes)
 * at cost (|τ| − n) + (|γ| − n), n = frames where they overlap; leaving τ or γ unpaired costs
 * |τ| or |γ|. Every pairing's total is Σ|τ| + Σ|γ| − 2·Σn over the pairs made, so the least-cost
 * pairing is the one-to-one pairing that maximises Σn; that is what is solved here, on the
 * smaller matrix of overlap counts.
 */
import { iou } from './box';
import { DEFAULT_MOT_MIN_IOU } from './clear-mot';
import { minCostAssignment } from './hungarian';
import { type MotRow, rowsByFrame } from './mot-format';

export interface IdentityResult {
  /** 2·IDTP / (2·IDTP + IDFP + IDFN): the F-score of identity-true-positives. */
  idf1: number;
  /** IDTP / (IDTP + IDFP): the share of tracker boxes that belong to their pair's truth. */
  idp: number;
  /** IDTP / (IDTP + IDFN): the share of truth boxes covered by their pair's tracker boxes. */
  idr: number;
  idtp: number;
  idfp: number;
  idfn: number;
  gtIds: number;
  resIds: number;
  /** The pairing that was chosen: truth id → tracker id, for the pairs with an overlap. */
  pairs: Array<[number, number]>;
}

export function identityMetrics(
  gt: readonly MotRow[],
  res: readonly MotRow[],
  minIou = DEFAULT_MOT_MIN_IOU,
): IdentityResult {
  const gtIds = [...new Set(gt.map((r) => r.id))].sort((a, b) => a - b);
  const resIds = [...new Set(res.map((r) => r.id))].sort((a, b) => a - b);
  const overlaps = overlapCounts(gt, res, gtIds, resIds, minIou);
  // Maximising Σn is minimising Σ(−n); pairs with n = 0 cost nothing and are dropped below.
  const rowToCol = minCostAssignment(overlaps.map((row) => row.map((n) => -n)));
  const pairs: Array<[number, number]> = [];
  let idtp = 0;
  rowToCol.forEach((c, r) => {
    if (c < 0 || overlaps[r][c] === 0) return;
    idtp += overlaps[r][c];
    pairs.push([gtIds[r], resIds[c]]);
  });
  const idfn = gt.length - idtp;
  const idfp = res.length - idtp;
  return {
    idf1: ratio(2 * idtp, 2 * idtp + idfp + idfn),
    idp: ratio(idtp, idtp + idfp),
    idr: ratio(idtp, idtp + idfn),
    idtp,
    idfp,
    idfn,
    gtIds: gtIds.length,
    resIds: resIds.length,
    pairs,
  };
}

/** n[i][j]: frames in which truth gtIds[i] and tracker resIds[j] overlap with IoU ≥ minIou. */
function overlapCounts(
  gt: readonly MotRow[],
  res: readonly MotRow[],
  gtIds: readonly number[],
  resIds: readonly number[],
  minIou: number,
): number[][] {
  const gtIndex = new Map(gtIds.map((id, i) => [id, i]));
  const resIndex = new Map(resIds.map((id, j) => [id, j]));
  const counts = gtIds.map(() => new Array<number>(resIds.length).fill(0));
  const resFrames = rowsByFrame(res);
  for (const [frame, objects] of rowsByFrame(gt)) {
    const hypotheses = resFrames.get(frame) ?? [];
    for (const o of objects) {
      for (const h of hypotheses) {
        if (iou(o.box, h.box) >= minIou) {
          counts[gtIndex.get(o.id)!][resIndex.get(h.id)!] += 1;
        }
      }
    }
  }
  return counts;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
