/**
 * Person detection scored against ground truth: per frame, detections and ground-truth boxes are
 * paired one to one at the highest total IoU (pairs under `minIou` are never made); a pair is a
 * true positive, an unpaired detection a false positive, an unpaired box a miss. Boxes marked
 * "ignore" (MOT `conf` 0: people the annotators judged not visible) neither count as misses nor
 * make a detection on them a false positive.
 */
import { assign } from './hungarian';
import { iou, type BoxXYXY } from './box';

/** The usual detection criterion (PASCAL VOC, MOTChallenge): IoU of at least one half. */
export const DEFAULT_MIN_IOU = 0.5;

export interface DetectionCounts {
  truePositives: number;
  falsePositives: number;
  misses: number;
}

export interface FrameTruth {
  /** People to find. */
  boxes: BoxXYXY[];
  /** People that may be found or not without effect. */
  ignored: BoxXYXY[];
}

export function matchFrame(
  detections: readonly BoxXYXY[],
  truth: FrameTruth,
  minIou = DEFAULT_MIN_IOU,
): DetectionCounts {
  const cost = detections.map((d) => truth.boxes.map((g) => -iou(d, g)));
  const { matches, unmatchedRows } = assign(cost, -minIou);
  const falsePositives = unmatchedRows.filter(
    (r) => !truth.ignored.some((g) => iou(detections[r]!, g) >= minIou),
  ).length;
  return {
    truePositives: matches.length,
    falsePositives,
    misses: truth.boxes.length - matches.length,
  };
}

export function addCounts(a: DetectionCounts, b: DetectionCounts): DetectionCounts {
  return {
    truePositives: a.truePositives + b.truePositives,
    falsePositives: a.falsePositives + b.falsePositives,
    misses: a.misses + b.misses,
  };
}

export const NO_COUNTS: DetectionCounts = { truePositives: 0, falsePositives: 0, misses: 0 };

/** Share of the people found; 0 when there were none to find. */
export function recall(c: DetectionCounts): number {
  const total = c.truePositives + c.misses;
  return total === 0 ? 0 : c.truePositives / total;
}

/** Share of detections that are people; 1 when nothing was detected. */
export function precision(c: DetectionCounts): number {
  const total = c.truePositives + c.falsePositives;
  return total === 0 ? 1 : c.truePositives / total;
}

/**
 * MOTChallenge ground truth (`frame, id, left, top, width, height, conf, ...`, 1-based frames)
 * by frame, boxes clipped to the image; rows with conf 0 go to `ignored`.
 */
export function parseMotTruth(
  text: string,
  width: number,
  height: number,
): Map<number, FrameTruth> {
  const frames = new Map<number, FrameTruth>();
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .forEach((line, n) => {
      const cols = line.split(',').map(Number);
      if (cols.length < 7 || cols.slice(0, 7).some((v) => !Number.isFinite(v))) {
        throw new RangeError(
          `ground truth line ${n + 1} must hold 7 or more numbers, got "${line}"`,
        );
      }
      const [frame, , left, top, w, h, conf] = cols as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const box = {
        x1: Math.max(0, left),
        y1: Math.max(0, top),
        x2: Math.min(width, left + w),
        y2: Math.min(height, top + h),
      };
      const entry = frames.get(frame) ?? { boxes: [], ignored: [] };
      (conf === 0 ? entry.ignored : entry.boxes).push(box);
      frames.set(frame, entry);
    });
  return frames;
}
