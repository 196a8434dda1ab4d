/**
 * CLEAR MOT metrics, written from Bernardin & Stiefelhagen, "Evaluating Multiple Object Tracking
 * Performance: The CLEAR MOT Metrics" (EURASIP JIVP 2008), with the MOTChallenge conventions:
 * a ground-truth box and a tracker box may correspond when their IoU is at least 0.5, and MOTP is
 * the mean IoU of the correspondences. Fragmentations and mostly tracked / lost follow Li, Huang
 * & Nevatia, "Learning to associate: HybridBoosted multi-target tracker" (CVPR 2009).
 *
 * Per frame, in the paper's order:
 *   1. a correspondence of the previous frame is kept when both boxes are still there and still
 *      overlap enough (so a tracker is not punished for a slightly better-fitting rival);
 *   2. the objects and hypotheses left are matched by an optimal assignment on 1 − IoU;
 *   3. a new correspondence whose object was last matched to a different hypothesis is a
 *      mismatch (identity switch), however long ago that last match was;
 *   4. objects left unmatched are misses, hypotheses left unmatched are false positives.
 */
import { iou } from './box';
import { assign } from './hungarian';
import { type MotRow, rowsByFrame } from './mot-format';

/** The MOTChallenge overlap criterion. */
export const DEFAULT_MOT_MIN_IOU = 0.5;
/** Li et al. 2009: tracked for at least 80 % of its life is "mostly tracked", under 20 % "mostly lost". */
const MOSTLY_TRACKED_RATIO = 0.8;
const MOSTLY_LOST_RATIO = 0.2;

export interface ClearMotResult {
  /** 1 − (misses + false positives + mismatches) / ground-truth boxes; may be negative. */
  mota: number;
  /** Mean IoU of the correspondences (1 when there are none to average, by convention 0). */
  motp: number;
  matches: number;
  misses: number;
  falsePositives: number;
  idSwitches: number;
  /** Times a ground-truth trajectory stopped being tracked and was tracked again later. */
  fragments: number;
  /** matches / (matches + false positives). */
  precision: number;
  /** matches / ground-truth boxes. */
  recall: number;
  gtBoxes: number;
  resBoxes: number;
  mostlyTracked: number;
  partiallyTracked: number;
  mostlyLost: number;
}

/** Scores tracker rows `res` against ground truth `gt` (both MOT rows with identities). */
export function clearMot(
  gt: readonly MotRow[],
  res: readonly MotRow[],
  minIou = DEFAULT_MOT_MIN_IOU,
): ClearMotResult {
  const gtFrames = rowsByFrame(gt);
  const resFrames = rowsByFrame(res);
  const frames = [...new Set([...gtFrames.keys(), ...resFrames.keys()])].sort((a, b) => a - b);
  let previous = new Map<number, number>(); // gt id → res id, previous frame's correspondences
  const lastMatch = new Map<number, number>(); // gt id → res id of its latest correspondence
  const trackedRuns = new Map<number, boolean[]>(); // gt id → matched or not, frame by frame
  const counts = { matches: 0, misses: 0, falsePositives: 0, idSwitches: 0, iouSum: 0 };

  for (const frame of frames) {
    const objects = gtFrames.get(frame) ?? [];
    const hypotheses = resFrames.get(frame) ?? [];
    const current = matchFrame(objects, hypotheses, previous, minIou);
    for (const [gtId, { resId, overlap }] of current) {
      const last = lastMatch.get(gtId);
      if (last !== undefined && last !== resId) counts.idSwitches += 1;
      lastMatch.set(gtId, resId);
      counts.iouSum += overlap;
    }
    counts.matches += current.size;
    counts.misses += objects.length - current.size;
    counts.falsePositives += hypotheses.length - current.size;
    for (const o of objects) {
      const run = trackedRuns.get(o.id) ?? [];
      run.push(current.has(o.id));
      trackedRuns.set(o.id, run);
    }
    previous = new Map([...current].map(([gtId, { resId }]) => [gtId, resId]));
  }
  return summarize(counts, [...trackedRuns.values()], gt.length, res.length);
}

type Correspondences = Map<number, { resId: number; overlap: number }>;

/** Steps 1 and 2 for one frame: kept correspondences, then an optimal assignment of the rest. */
function matchFrame(
  objects: readonly MotRow[],
  hypotheses: readonly MotRow[],
  previous: ReadonlyMap<number, number>,
  minIou: number,
): Correspondences {
  checkUniqueIds(objects, 'ground truth');
  checkUniqueIds(hypotheses, 'result');
  const current: Correspondences = new Map();
  const hypothesisById = new Map(hypotheses.map((h) => [h.id, h]));
  const takenRes = new Set<number>();
  for (const o of objects) {
    const resId = previous.get(o.id);
    const h = resId === undefined ? undefined : hypothesisById.get(resId);
    if (h === undefined) continue;
    const overlap = iou(o.box, h.box);
    if (overlap >= minIou) {
      current.set(o.id, { resId: h.id, overlap });
      takenRes.add(h.id);
    }
  }
  const freeObjects = objects.filter((o) => !current.has(o.id));
  const freeHypotheses = hypotheses.filter((h) => !takenRes.has(h.id));
  if (freeObjects.length > 0 && freeHypotheses.length > 0) {
    const cost = freeObjects.map((o) => freeHypotheses.map((h) => 1 - iou(o.box, h.box)));
    for (const [r, c] of assign(cost, 1 - minIou).matches) {
      const overlap = 1 - cost[r][c];
      // assign's ceiling is inclusive; an IoU a rounding error below minIou stays out.
      if (overlap >= minIou)
        current.set(freeObjects[r].id, { resId: freeHypotheses[c].id, overlap });
    }
  }
  return current;
}

function summarize(
  counts: {
    matches: number;
    misses: number;
    falsePositives: number;
    idSwitches: number;
    iouSum: number;
  },
  runs: boolean[][],
  gtBoxes: number,
  resBoxes: number,
): ClearMotResult {
  const { matches, misses, falsePositives, idSwitches, iouSum } = counts;
  let mostlyTracked = 0;
  let mostlyLost = 0;
  for (const run of runs) {
    const ratio = run.filter(Boolean).length / run.length;
    if (ratio >= MOSTLY_TRACKED_RATIO) mostlyTracked += 1;
    else if (ratio < MOSTLY_LOST_RATIO) mostlyLost += 1;
  }
  return {
    mota: gtBoxes === 0 ? 0 : 1 - (misses + falsePositives + idSwitches) / gtBoxes,
    motp: matches === 0 ? 0 : iouSum / matches,
    matches,
    misses,
    falsePositives,
    idSwitches,
    fragments: runs.reduce((sum, run) => sum + fragmentsOf(run), 0),
    precision: matches + falsePositives === 0 ? 0 : matches / (matches + falsePositives),
    recall: gtBoxes === 0 ? 0 : matches / gtBoxes,
    gtBoxes,
    resBoxes,
    mostlyTracked,
    partiallyTracked: runs.length - mostlyTracked - mostlyLost,
    mostlyLost,
  };
}

/** Untracked stretches that lie between two tracked frames of one ground-truth trajectory. */
export function fragmentsOf(tracked: readonly boolean[]): number {
  const first = tracked.indexOf(true);
  const last = tracked.lastIndexOf(true);
  let fragments = 0;
  for (let i = first + 1; i <= last && first >= 0; i += 1) {
    if (!tracked[i] && tracked[i - 1]) fragments += 1;
  }
  return fragments;
}

function checkUniqueIds(rows: readonly MotRow[], what: string): void {
  const seen = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.id)) {
      throw new RangeError(
        `${what} has id ${r.id} twice in frame ${r.frame}: ids must be unique per frame`,
      );
    }
    seen.add(r.id);
  }
}
