/**
 * Synthetic OpenPose outputs that encode known people, the way OpenPose's training targets are
 * made: a Gaussian peak per visible part (the maximum where people overlap, the background
 * channel its complement) and, for each limb whose two parts are visible, the limb's unit vector
 * on every cell within `limbWidth` of the segment (averaged where limbs of one type overlap).
 */
import type { OpenPoseLayout } from '../../src/core/openpose-layouts';
import type { OpenPoseMaps } from '../../src/core/openpose-decode';

export interface SyntheticPerson {
  /** Grid position of each part of the layout, or null when the part is not visible. */
  parts: ({ x: number; y: number } | null)[];
}

export interface RenderOptions {
  gridWidth: number;
  gridHeight: number;
  /** Gaussian sigma of a part peak, in cells. */
  sigma?: number;
  /** Half-width of a limb's PAF band, in cells. */
  limbWidth?: number;
}

export function renderOpenPose(
  people: readonly SyntheticPerson[],
  layout: OpenPoseLayout,
  options: RenderOptions,
): OpenPoseMaps {
  const { gridWidth: w, gridHeight: h } = options;
  const sigma = options.sigma ?? 1;
  const limbWidth = options.limbWidth ?? 1;
  const heatmaps = new Float32Array(layout.heatmapChannels * h * w);
  const pafs = new Float32Array(layout.pafChannels * h * w);
  const counts = new Float32Array(layout.limbs.length * h * w);
  for (const person of people) {
    person.parts.forEach((p, part) => {
      if (p === null) return;
      for (let y = 0; y < h; y += 1) {
        for (let x = 0; x < w; x += 1) {
          const v = Math.exp(-((x - p.x) ** 2 + (y - p.y) ** 2) / (2 * sigma * sigma));
          const i = part * h * w + y * w + x;
          heatmaps[i] = Math.max(heatmaps[i]!, v);
        }
      }
    });
    layout.limbs.forEach(([a, b, px, py], limb) => {
      const pa = person.parts[a];
      const pb = person.parts[b];
      if (!pa || !pb) return;
      const length = Math.hypot(pb.x - pa.x, pb.y - pa.y);
      const ux = (pb.x - pa.x) / length;
      const uy = (pb.y - pa.y) / length;
      for (let y = 0; y < h; y += 1) {
        for (let x = 0; x < w; x += 1) {
          const along = (x - pa.x) * ux + (y - pa.y) * uy;
          const across = Math.abs((x - pa.x) * uy - (y - pa.y) * ux);
          if (along < 0 || along > length || across > limbWidth) continue;
          const cell = y * w + x;
          pafs[px * h * w + cell] += ux;
          pafs[py * h * w + cell] += uy;
          counts[limb * h * w + cell] += 1;
        }
      }
    });
  }
  layout.limbs.forEach(([, , px, py], limb) => {
    for (let cell = 0; cell < h * w; cell += 1) {
      const n = counts[limb * h * w + cell]!;
      if (n > 1) {
        pafs[px * h * w + cell] /= n;
        pafs[py * h * w + cell] /= n;
      }
    }
  });
  const background = (layout.heatmapChannels - 1) * h * w;
  for (let cell = 0; cell < h * w; cell += 1) {
    let max = 0;
    for (let part = 0; part < layout.parts.length; part += 1) {
      max = Math.max(max, heatmaps[part * h * w + cell]!);
    }
    heatmaps[background + cell] = 1 - max;
  }
  return { heatmaps, pafs, gridHeight: h, gridWidth: w };
}

/**
 * A standing person, 24 cells from eyes to ankles, facing the camera, centred at `cx` with the
 * top of the head at `top`: positions for the parts a layout names (BODY_25's feet included).
 */
export function standingPerson(
  layout: OpenPoseLayout,
  cx: number,
  top: number,
  hidden: readonly string[] = [],
): SyntheticPerson {
  const at: Record<string, [number, number]> = {
    nose: [0, 2],
    neck: [0, 5],
    right_shoulder: [-3, 5],
    right_elbow: [-4, 9],
    right_wrist: [-4.5, 13],
    left_shoulder: [3, 5],
    left_elbow: [4, 9],
    left_wrist: [4.5, 13],
    mid_hip: [0, 14],
    right_hip: [-2, 14],
    right_knee: [-2, 19],
    right_ankle: [-2, 24],
    left_hip: [2, 14],
    left_knee: [2, 19],
    left_ankle: [2, 24],
    right_eye: [-0.8, 1.2],
    left_eye: [0.8, 1.2],
    right_ear: [-1.6, 1.8],
    left_ear: [1.6, 1.8],
    left_big_toe: [3, 26],
    left_small_toe: [4, 25.5],
    left_heel: [1.5, 25],
    right_big_toe: [-3, 26],
    right_small_toe: [-4, 25.5],
    right_heel: [-1.5, 25],
  };
  return {
    parts: layout.parts.map((name) => {
      const p = at[name];
      if (p === undefined) throw new Error(`no template position for ${name}`);
      return hidden.includes(name) ? null : { x: cx + p[0], y: top + p[1] };
    }),
  };
}

/** Limbs of the layout whose two parts are visible in `person`. */
export function visibleLimbs(person: SyntheticPerson, layout: OpenPoseLayout): number[] {
  return layout.limbs
    .map(([a, b], k) => (person.parts[a] && person.parts[b] ? k : -1))
    .filter((k) => k >= 0);
}
