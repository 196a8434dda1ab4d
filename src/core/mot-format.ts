/**
 * The MOTChallenge text format (Milan et al., "MOT16: A Benchmark for Multi-Object Tracking",
 * 2016, and the 2D MOT 2015 devkit): one box per line,
 * `frame, id, bb_left, bb_top, bb_width, bb_height, conf, x, y, z`, frames 1-based, boxes in
 * pixels. Detections carry id -1; ground truth and tracker results carry an identity. Columns
 * after `conf` (world coordinates, or class and visibility in MOT16+) are not read.
 *
 * Parsing takes text, not a file, so it stays pure; the error names the source, the line, the
 * column and the value.
 */
import { type BoxXYXY, xywhToXyxy, xyxyToXywh } from './box';

export interface MotRow {
  /** 1-based frame number. */
  frame: number;
  /** Identity; -1 for detections. */
  id: number;
  box: BoxXYXY;
  /** The `conf` column: a detector score, or ground truth's "consider" flag (0 = ignore). */
  score: number;
}

/** Columns a line must have: up to `conf`. Ground truth of MOT15 and detections both have it. */
const REQUIRED_COLUMNS = 7;
const COLUMN_NAMES = ['frame', 'id', 'bb_left', 'bb_top', 'bb_width', 'bb_height', 'conf'];
/** Decimals written for box coordinates and scores: sub-pixel, and short lines. */
const WRITTEN_DECIMALS = 2;
const SCORE_DECIMALS = 4;

/**
 * Parses MOT text. Blank lines and lines starting with `#` are skipped; anything else must have
 * at least 7 comma-separated numbers, an integer frame ≥ 1 and an integer id ≥ -1. Boxes are
 * taken as they are, even empty ones: the tracker skips and counts those itself.
 */
export function parseMot(text: string, source = 'MOT text'): MotRow[] {
  const rows: MotRow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    rows.push(parseLine(line, `${source}:${i + 1}`));
  });
  return rows;
}

function parseLine(line: string, where: string): MotRow {
  const cells = line.split(',').map((c) => c.trim());
  if (cells.length < REQUIRED_COLUMNS) {
    throw new RangeError(
      `${where}: a MOT line needs at least ${REQUIRED_COLUMNS} comma-separated columns ` +
        `(${COLUMN_NAMES.join(', ')}), got ${cells.length}: ${JSON.stringify(line.slice(0, 80))}`,
    );
  }
  const values = cells.slice(0, REQUIRED_COLUMNS).map((cell, c) => {
    const v = cell === '' ? Number.NaN : Number(cell);
    if (!Number.isFinite(v)) {
      throw new TypeError(`${where}: ${COLUMN_NAMES[c]} must be a finite number, got "${cell}"`);
    }
    return v;
  });
  const [frame, id, left, top, width, height, score] = values;
  if (!Number.isInteger(frame) || frame < 1) {
    throw new RangeError(`${where}: frame must be an integer ≥ 1, got ${frame}`);
  }
  if (!Number.isInteger(id) || id < -1) {
    throw new RangeError(`${where}: id must be an integer ≥ -1, got ${id}`);
  }
  return { frame, id, box: xywhToXyxy({ x: left, y: top, width, height }), score };
}

/** One MOT line per row, `frame,id,left,top,width,height,conf,-1,-1,-1`, in the given order. */
export function formatMot(rows: readonly MotRow[]): string {
  return rows
    .map((r) => {
      const { x, y, width, height } = xyxyToXywh(r.box);
      const box = [x, y, width, height].map((v) => v.toFixed(WRITTEN_DECIMALS));
      return [r.frame, r.id, ...box, round(r.score, SCORE_DECIMALS), -1, -1, -1].join(',');
    })
    .map((line) => `${line}\n`)
    .join('');
}

/** Rows grouped by frame number, in ascending frame order. */
export function rowsByFrame(rows: readonly MotRow[]): Map<number, MotRow[]> {
  const byFrame = new Map<number, MotRow[]>();
  for (const row of [...rows].sort((a, b) => a.frame - b.frame)) {
    const list = byFrame.get(row.frame);
    if (list === undefined) byFrame.set(row.frame, [row]);
    else list.push(row);
  }
  return byFrame;
}

/**
 * Rows of ground truth that count: the MOT16+ "consider" flag (`conf` 0) marks boxes the
 * benchmark ignores. MOT15 ground truth has 1 everywhere, so nothing is dropped there.
 */
export function consideredGroundTruth(rows: readonly MotRow[]): MotRow[] {
  return rows.filter((r) => r.score !== 0);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
