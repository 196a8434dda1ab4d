/** The face-crop node's settings: parsed and validated once, when the node starts. */
import { DEFAULT_FACE_BOX_OPTIONS } from '../../src/core/face-box';
import type { FaceCrop } from '../../src/core/types';
import { integerAtLeast, numberInRange, orDefault } from '../../src/core/validate';
import {
  DEFAULT_FACE_CROPPER_OPTIONS,
  type FaceCropperOptions,
} from '../../src/runtime/face-cropper';
import type { NodeDef } from '../common/node-kit';

/**
 * Frames being cropped at once; more are dropped (and counted) rather than queued, so a slow
 * machine sheds load instead of growing memory. Two lets one frame's crops overlap the next.
 */
export const MAX_IN_FLIGHT_FRAMES = 2;

export interface FaceCropDef extends NodeDef {
  minFacePx?: string | number;
  minKeypointScore?: string | number;
  includeTentative?: boolean | string;
  maxCropSidePx?: string | number;
}

/** Validates the editor's fields; the error names the field, the rule and the value. */
export function parseFaceCropConfig(def: FaceCropDef): FaceCropperOptions {
  const d = DEFAULT_FACE_CROPPER_OPTIONS;
  return {
    minFacePx: integerAtLeast('minFacePx', orDefault(def.minFacePx, d.minFacePx), 1),
    minKeypointScore: numberInRange(
      'minKeypointScore',
      orDefault(def.minKeypointScore, DEFAULT_FACE_BOX_OPTIONS.minKeypointScore),
      0,
      1,
    ),
    includeTentative: def.includeTentative === true || def.includeTentative === 'true',
    maxCropSidePx: integerAtLeast(
      'maxCropSidePx',
      orDefault(def.maxCropSidePx, d.maxCropSidePx),
      8,
    ),
  };
}

/** "2 faces (1 too small)": how many faces, and why some were not cropped. */
export function faceStatusText(faces: readonly FaceCrop[]): string {
  const reasons = new Map<string, number>();
  for (const f of faces) if (f.reason) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
  const noun = faces.length === 1 ? 'face' : 'faces';
  const why = [...reasons].map(([reason, n]) => `${n} ${reason}`).join(', ');
  return why ? `${faces.length} ${noun} (${why})` : `${faces.length} ${noun}`;
}
