import { expect } from 'chai';
import { fitLetterbox } from '../../src/core/letterbox';
import { decodePoseNet, POSENET_LIMBS, type PoseNetOutputs } from '../../src/core/posenet-decode';
import { COCO17_KEYPOINTS } from '../../src/core/types';

const STRIDE = 16;
const K = COCO17_KEYPOINTS.length;
/** Logits drawn for a keypoint's own cell and for everywhere else. */
const PEAK_LOGIT = 4;
const BACKGROUND_LOGIT = -6;
/** How far (px) a decoded keypoint may lie from where it was drawn. */
const TOLERANCE_PX = 1e-3;

type Person = { x: number; y: number }[];

/** A standing person, keypoints in input pixels, from a template about 190 px tall. */
function person(cx: number, top: number): Person {
  const at: [number, number][] = [
    [0, 16], // nose
    [-6, 10],
    [6, 10],
    [-14, 14],
    [14, 14],
    [-24, 40], // shoulders
    [24, 40],
    [-30, 72],
    [30, 72],
    [-32, 104],
    [32, 104],
    [-16, 110], // hips
    [16, 110],
    [-16, 150],
    [16, 150],
    [-16, 190],
    [16, 190],
  ];
  return at.map(([dx, dy]) => ({ x: cx + dx, y: top + dy }));
}

/**
 * PoseNet outputs that encode `people` exactly: a peak logit on each keypoint's cell; offsets
 * pointing at the keypoint from its cell and the 8 around it; each limb's displacements on the
 * cells around both of its ends.
 */
function render(people: Person[], gridWidth: number, gridHeight: number): PoseNetOutputs {
  const cells = gridWidth * gridHeight;
  const limbs = POSENET_LIMBS.map(([a, b]) => [
    COCO17_KEYPOINTS.indexOf(a),
    COCO17_KEYPOINTS.indexOf(b),
  ]);
  const E = limbs.length;
  const heatmap = new Float32Array(cells * K).fill(BACKGROUND_LOGIT);
  const offsets = new Float32Array(cells * 2 * K);
  const displacementFwd = new Float32Array(cells * 2 * E);
  const displacementBwd = new Float32Array(cells * 2 * E);
  const around = (
    p: { x: number; y: number },
    visit: (cell: number, cy: number, cx: number) => void,
  ) => {
    const cy = Math.round(p.y / STRIDE);
    const cx = Math.round(p.x / STRIDE);
    for (let dy = -1; dy <= 1; dy += 1) {
      for (let dx = -1; dx <= 1; dx += 1) {
        const y = cy + dy;
        const x = cx + dx;
        if (y >= 0 && y < gridHeight && x >= 0 && x < gridWidth) visit(y * gridWidth + x, y, x);
      }
    }
  };
  for (const keypoints of people) {
    keypoints.forEach((p, k) => {
      const cell = Math.round(p.y / STRIDE) * gridWidth + Math.round(p.x / STRIDE);
      heatmap[cell * K + k] = PEAK_LOGIT;
      around(p, (c, y, x) => {
        offsets[c * 2 * K + k] = p.y - y * STRIDE;
        offsets[c * 2 * K + K + k] = p.x - x * STRIDE;
      });
    });
    limbs.forEach(([a, b], e) => {
      const pa = keypoints[a!]!;
      const pb = keypoints[b!]!;
      around(pa, (c) => {
        displacementFwd[c * 2 * E + e] = pb.y - pa.y;
        displacementFwd[c * 2 * E + E + e] = pb.x - pa.x;
      });
      around(pb, (c) => {
        displacementBwd[c * 2 * E + e] = pa.y - pb.y;
        displacementBwd[c * 2 * E + E + e] = pa.x - pb.x;
      });
    });
  }
  return {
    heatmap,
    offsets,
    displacementFwd,
    displacementBwd,
    gridHeight,
    gridWidth,
    stride: STRIDE,
  };
}

describe('posenet-decode', () => {
  const grid = { width: 40, height: 16 };
  // Input and frame are the same size, so input pixels are frame pixels.
  const size = { width: (grid.width - 1) * STRIDE + 1, height: (grid.height - 1) * STRIDE + 1 };
  const letterbox = fitLetterbox(size, size);

  it('recovers every drawn person with all 17 keypoints where they were drawn', () => {
    const people = [person(80, 20), person(300, 30), person(520, 12)];
    const poses = decodePoseNet(render(people, grid.width, grid.height), letterbox);
    expect(poses).to.have.length(3);
    for (const truth of people) {
      const pose = poses.find((p) => Math.abs(p.keypoints[0]!.x - truth[0]!.x) < 5)!;
      expect(pose, `person at ${truth[0]!.x}`).to.not.equal(undefined);
      expect(pose.keypoints.map((k) => k.name)).to.deep.equal([...COCO17_KEYPOINTS]);
      pose.keypoints.forEach((k, i) => {
        expect(k.x).to.be.closeTo(truth[i]!.x, TOLERANCE_PX);
        expect(k.y).to.be.closeTo(truth[i]!.y, TOLERANCE_PX);
      });
      // Every keypoint sits on a peak: the pose score is the peak probability.
      expect(pose.score).to.be.closeTo(1 / (1 + Math.exp(-PEAK_LOGIT)), 1e-6);
      expect(pose.box.y1).to.be.below(truth[1]!.y);
      expect(pose.box.y2).to.be.above(truth[16]!.y);
    }
  });

  it('has no fixed cap: eight people give eight poses', () => {
    const wide = { width: 80, height: 16 };
    const people = Array.from({ length: 8 }, (_, i) => person(80 + i * 150, 20));
    const box = fitLetterbox(
      { width: (wide.width - 1) * STRIDE + 1, height: (wide.height - 1) * STRIDE + 1 },
      { width: (wide.width - 1) * STRIDE + 1, height: (wide.height - 1) * STRIDE + 1 },
    );
    expect(decodePoseNet(render(people, wide.width, wide.height), box)).to.have.length(8);
  });

  it('keeps a person found once: the other roots on its keypoints are skipped', () => {
    const poses = decodePoseNet(render([person(300, 30)], grid.width, grid.height), letterbox);
    expect(poses).to.have.length(1);
  });

  it('finds nobody when no cell reaches the part score', () => {
    const outputs = render([], grid.width, grid.height);
    expect(decodePoseNet(outputs, letterbox)).to.deep.equal([]);
  });

  it('rejects outputs whose sizes do not match the grid, naming the tensor', () => {
    const outputs = { ...render([], grid.width, grid.height), offsets: new Float32Array(10) };
    expect(() => decodePoseNet(outputs, letterbox)).to.throw(
      RangeError,
      'PoseNet offsets must hold 16×40×34 values, got 10',
    );
  });
});
