/**
 * Tiling for wide frames: a frame much wider than the network input is cut into side-by-side
 * tiles that overlap, each estimated at the full input size, so small people get more network
 * pixels; the tiles' poses are then merged, one pose per person.
 */
import { boxArea, type BoxXYXY } from './box';
import type { Size } from './letterbox';
import type { Pose } from './types';

/** Share of a tile's width it shares with its neighbour: a person cut at one edge is whole in the other tile. */
export const DEFAULT_TILE_OVERLAP = 0.2;
export const MAX_TILES = 4;

/** A tile: where it sits in the frame, in whole pixels. */
export interface Tile {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * `count` tiles side by side covering the frame, full height, neighbours overlapping by
 * `overlap` of a tile's width. One tile is the whole frame.
 */
export function tileRegions(frame: Size, count: number, overlap = DEFAULT_TILE_OVERLAP): Tile[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_TILES) {
    throw new RangeError(`tiles must be an integer between 1 and ${MAX_TILES}, got ${count}`);
  }
  if (!(overlap >= 0 && overlap < 1)) {
    throw new RangeError(`tile overlap must be in [0, 1), got ${overlap}`);
  }
  // count·w − (count − 1)·overlap·w = frame width.
  const width = Math.min(frame.width, Math.ceil(frame.width / (count - (count - 1) * overlap)));
  const step = count === 1 ? 0 : (frame.width - width) / (count - 1);
  return Array.from({ length: count }, (_, i) => ({
    left: Math.round(i * step),
    top: 0,
    width,
    height: frame.height,
  }));
}

/** Moves poses found in a tile into frame pixels. */
export function poseFromTile(pose: Pose, tile: Tile): Pose {
  const { left, top } = tile;
  return {
    ...pose,
    keypoints: pose.keypoints.map((k) => ({ ...k, x: k.x + left, y: k.y + top })),
    box: {
      x1: pose.box.x1 + left,
      y1: pose.box.y1 + top,
      x2: pose.box.x2 + left,
      y2: pose.box.y2 + top,
    },
  };
}

/**
 * Share of the smaller box covered by the other. A person cut by a tile edge gives a partial
 * box inside the whole one: their IoU is low but this is near 1.
 */
export function overlapOfSmaller(a: BoxXYXY, b: BoxXYXY): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const smaller = Math.min(boxArea(a), boxArea(b));
  return smaller > 0 ? (iw * ih) / smaller : 0;
}

/** Above this share of the smaller box, two poses from neighbouring tiles are one person. */
export const DEFAULT_MERGE_OVERLAP = 0.6;

/** One pose per person: best score first, a pose mostly inside a kept one is dropped. */
export function mergeTilePoses(poses: readonly Pose[], minOverlap = DEFAULT_MERGE_OVERLAP): Pose[] {
  const kept: Pose[] = [];
  for (const pose of [...poses].sort((a, b) => b.score - a.score)) {
    if (!kept.some((k) => overlapOfSmaller(k.box, pose.box) >= minOverlap)) kept.push(pose);
  }
  return kept;
}
