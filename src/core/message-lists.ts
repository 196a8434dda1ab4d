/**
 * Shape checks for the per-frame lists on a message (msg.tracks, msg.faces). O(n) in entries, and
 * only the fields the stages after the tracker read are checked; the error names the entry.
 */
import type { BoxXYXY } from './box';
import type { FaceCrop, PixelCrop, Track } from './types';

/** `value` as an array, or a TypeError that names the field and what should have set it. */
export function assertList(value: unknown, field: string, setBy: string): unknown[] {
  if (value === undefined || value === null) {
    throw new TypeError(`${field} is missing: wire a ${setBy} node (or set ${field}) first`);
  }
  if (!Array.isArray(value)) {
    throw new TypeError(`${field} must be an array, got ${typeof value}`);
  }
  return value;
}

/** msg.tracks as kalman-tracker emits it: objects with a numeric id and, when matched, a pose. */
export function assertTracks(value: unknown, field = 'msg.tracks'): Track[] {
  const list = assertList(value, field, 'kalman-tracker');
  list.forEach((entry, i) => {
    const t = entry as Partial<Track> | null;
    if (typeof t !== 'object' || t === null || typeof t.id !== 'number') {
      throw new TypeError(`${field}[${i}] must be a track with a numeric id`);
    }
    if (t.pose !== undefined && !Array.isArray(t.pose?.keypoints)) {
      throw new TypeError(`${field}[${i}].pose.keypoints must be an array`);
    }
  });
  return list as Track[];
}

/**
 * msg.tracks as the compliance counter reads it: tracks whose `box` is `{ x1, y1, x2, y2 }` in
 * finite numbers, since a box places a person in a zone and frames them in an annotation. Checked
 * up front, so a bad entry fails the message before anyone in it is counted.
 */
export function assertTracksWithBoxes(value: unknown, field = 'msg.tracks'): Track[] {
  const tracks = assertTracks(value, field);
  tracks.forEach((t, i) => assertBox(t.box, `${field}[${i}].box`));
  return tracks;
}

function assertBox(box: unknown, field: string): void {
  if (typeof box !== 'object' || box === null) {
    throw new TypeError(
      `${field} must be { x1, y1, x2, y2 } in finite numbers, got ${String(box)}`,
    );
  }
  for (const corner of ['x1', 'y1', 'x2', 'y2'] as const) {
    const v = (box as Partial<BoxXYXY>)[corner];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new TypeError(`${field}.${corner} must be a finite number, got ${String(v)}`);
    }
  }
}

/** msg.faces as face-crop emits it (entries are checked by the stage that reads them). */
export function assertFaces(value: unknown, field = 'msg.faces'): FaceCrop[] {
  return assertList(value, field, 'face-crop') as FaceCrop[];
}

/**
 * msg.faces as the mask classifier reads it: each entry has a numeric trackId, and a `crop`, when
 * present, is raw pixels whose Buffer holds width × height × channels bytes (1, 3 or 4 channels).
 */
export function assertFacesWithCrops(value: unknown, field = 'msg.faces'): FaceCrop[] {
  const faces = assertFaces(value, field);
  faces.forEach((entry, i) => {
    const face = entry as Partial<FaceCrop> | null;
    if (typeof face !== 'object' || face === null || typeof face.trackId !== 'number') {
      throw new TypeError(`${field}[${i}] must be a face with a numeric trackId`);
    }
    if (face.crop !== undefined) assertCrop(face.crop, `${field}[${i}].crop`);
  });
  return faces;
}

function assertCrop(crop: unknown, field: string): void {
  const c = crop as Partial<PixelCrop> | null;
  if (typeof c !== 'object' || c === null || !Buffer.isBuffer(c.data)) {
    throw new TypeError(`${field} must be { data: Buffer, width, height, channels }`);
  }
  const { width, height, channels } = c;
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || (v as number) < 0) {
      throw new RangeError(`${field}.${name} must be an integer ≥ 0, got ${String(v)}`);
    }
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new RangeError(`${field}.channels must be 1, 3 or 4, got ${String(channels)}`);
  }
  const needed = (width as number) * (height as number) * channels;
  if (c.data.length < needed) {
    throw new RangeError(
      `${field}.data must hold width × height × channels = ${needed} bytes, got ${c.data.length}`,
    );
  }
}
