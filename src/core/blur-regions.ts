/**
 * Where to blur faces in a picture of the frame: each face box from face-crop, padded, and for a
 * track with no face box (face-crop found no head keypoints) the top of its box, where the head
 * is, so a face that was not located is still hidden.
 */
import type { BoxXYXY } from './box';
import type { FaceCrop, Track } from './types';

/** Padding around a face box, as a fraction of its side: keypoint boxes hug the face tightly. */
export const FACE_PAD_FRACTION = 0.2;
/** The share of a standing person's box, from the top, that holds the head (about 1/7 of a body, doubled for bent or cut-off people). */
export const HEAD_FRACTION = 0.3;

function pad(box: BoxXYXY, fraction: number): BoxXYXY {
  const dx = (box.x2 - box.x1) * fraction;
  const dy = (box.y2 - box.y1) * fraction;
  return { x1: box.x1 - dx, y1: box.y1 - dy, x2: box.x2 + dx, y2: box.y2 + dy };
}

// Limitation: a person the pose model missed has no track and no face box, so is not blurred;
// way out: a face detector run on the whole frame before blurring.
export function blurRegions(
  faces: readonly Partial<FaceCrop>[],
  tracks: readonly Partial<Track>[],
): BoxXYXY[] {
  const regions: BoxXYXY[] = [];
  const withFace = new Set<number>();
  for (const face of faces) {
    if (!isBox(face?.box)) continue;
    regions.push(pad(face.box, FACE_PAD_FRACTION));
    if (typeof face.trackId === 'number') withFace.add(face.trackId);
  }
  for (const track of tracks) {
    if (!isBox(track?.box) || (typeof track.id === 'number' && withFace.has(track.id))) continue;
    const { x1, y1, x2, y2 } = track.box;
    regions.push({ x1, y1, x2, y2: y1 + (y2 - y1) * HEAD_FRACTION });
  }
  return regions;
}

function isBox(value: unknown): value is BoxXYXY {
  const b = value as Partial<BoxXYXY> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    [b.x1, b.y1, b.x2, b.y2].every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}
