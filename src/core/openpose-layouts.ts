/**
 * The two OpenPose output layouts (CMU OpenPose, `poseParameters` of the COCO and BODY_25
 * models; Cao et al., "OpenPose: Realtime Multi-Person 2D Pose Estimation using Part Affinity
 * Fields", TPAMI 2019): the parts, in heatmap channel order, and the limbs, each with the two
 * PAF channels (x, then y) that encode it. Heatmaps come first in the network output, the last
 * heatmap being the background; PAF channel numbers here count from the first PAF channel.
 *
 * Each part maps onto the COCO-17 keypoint names the rest of the chain uses. What COCO-17 has
 * no name for is dropped from the pose (it still shapes the person box): the neck (both
 * layouts) and BODY_25's mid-hip, big toes, small toes and heels.
 */
import { COCO17_KEYPOINTS, type KeypointName } from './types';

export type OpenPoseLayoutName = 'coco18' | 'body25';

export interface OpenPoseLayout {
  name: OpenPoseLayoutName;
  /** Part names in heatmap channel order (background excluded). */
  parts: readonly string[];
  /** COCO-17 name of each part, or null where the part is dropped from the pose. */
  coco17: readonly (KeypointName | null)[];
  /** Limbs in the order OpenPose assembles them: [partA, partB, pafX, pafY]. */
  limbs: readonly (readonly [number, number, number, number])[];
  /** Heatmap channels including the background one. */
  heatmapChannels: number;
  pafChannels: number;
}

const COCO18_PARTS = [
  'nose',
  'neck',
  'right_shoulder',
  'right_elbow',
  'right_wrist',
  'left_shoulder',
  'left_elbow',
  'left_wrist',
  'right_hip',
  'right_knee',
  'right_ankle',
  'left_hip',
  'left_knee',
  'left_ankle',
  'right_eye',
  'left_eye',
  'right_ear',
  'left_ear',
] as const;

/** COCO-18 limbs with their PAF channels (OpenPose POSE_COCO_PAIRS and POSE_COCO_MAP_IDX − 19). */
const COCO18_LIMBS: readonly (readonly [number, number, number, number])[] = [
  [1, 2, 12, 13],
  [1, 5, 20, 21],
  [2, 3, 14, 15],
  [3, 4, 16, 17],
  [5, 6, 22, 23],
  [6, 7, 24, 25],
  [1, 8, 0, 1],
  [8, 9, 2, 3],
  [9, 10, 4, 5],
  [1, 11, 6, 7],
  [11, 12, 8, 9],
  [12, 13, 10, 11],
  [1, 0, 28, 29],
  [0, 14, 30, 31],
  [14, 16, 34, 35],
  [0, 15, 32, 33],
  [15, 17, 36, 37],
  [2, 16, 18, 19],
  [5, 17, 26, 27],
];

const BODY25_PARTS = [
  'nose',
  'neck',
  'right_shoulder',
  'right_elbow',
  'right_wrist',
  'left_shoulder',
  'left_elbow',
  'left_wrist',
  'mid_hip',
  'right_hip',
  'right_knee',
  'right_ankle',
  'left_hip',
  'left_knee',
  'left_ankle',
  'right_eye',
  'left_eye',
  'right_ear',
  'left_ear',
  'left_big_toe',
  'left_small_toe',
  'left_heel',
  'right_big_toe',
  'right_small_toe',
  'right_heel',
] as const;

/** BODY_25 limbs with their PAF channels (OpenPose POSE_BODY_25_PAIRS and POSE_BODY_25_MAP_IDX − 26). */
const BODY25_LIMBS: readonly (readonly [number, number, number, number])[] = [
  [1, 8, 0, 1],
  [1, 2, 14, 15],
  [1, 5, 22, 23],
  [2, 3, 16, 17],
  [3, 4, 18, 19],
  [5, 6, 24, 25],
  [6, 7, 26, 27],
  [8, 9, 6, 7],
  [9, 10, 2, 3],
  [10, 11, 4, 5],
  [8, 12, 8, 9],
  [12, 13, 10, 11],
  [13, 14, 12, 13],
  [1, 0, 30, 31],
  [0, 15, 32, 33],
  [15, 17, 36, 37],
  [0, 16, 34, 35],
  [16, 18, 38, 39],
  [2, 17, 20, 21],
  [5, 18, 28, 29],
  [14, 19, 40, 41],
  [19, 20, 42, 43],
  [14, 21, 44, 45],
  [11, 22, 46, 47],
  [22, 23, 48, 49],
  [11, 24, 50, 51],
];

function coco17Of(parts: readonly string[]): (KeypointName | null)[] {
  const known = new Set<string>(COCO17_KEYPOINTS);
  return parts.map((p) => (known.has(p) ? (p as KeypointName) : null));
}

export const OPENPOSE_LAYOUTS: Record<OpenPoseLayoutName, OpenPoseLayout> = {
  coco18: {
    name: 'coco18',
    parts: COCO18_PARTS,
    coco17: coco17Of(COCO18_PARTS),
    limbs: COCO18_LIMBS,
    heatmapChannels: COCO18_PARTS.length + 1,
    pafChannels: 2 * COCO18_LIMBS.length,
  },
  body25: {
    name: 'body25',
    parts: BODY25_PARTS,
    coco17: coco17Of(BODY25_PARTS),
    limbs: BODY25_LIMBS,
    heatmapChannels: BODY25_PARTS.length + 1,
    pafChannels: 2 * BODY25_LIMBS.length,
  },
};
