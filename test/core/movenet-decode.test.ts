import { expect } from 'chai';
import { fitLetterbox, networkSizeFor, type Letterbox } from '../../src/core/letterbox';
import {
  DEFAULT_MIN_POSE_SCORE,
  MOVENET_MAX_POSES,
  MOVENET_ROW_LENGTH,
  decodeMoveNet,
} from '../../src/core/movenet-decode';
import { COCO17_KEYPOINTS } from '../../src/core/types';

const TOL = 1e-4;

interface RowSpec {
  /** Keypoints and box in normalised input coordinates (y, x). */
  keypoint: (k: number) => [number, number, number];
  box: [number, number, number, number];
  score: number;
}

/** A hand-made `[1, 6, 56]` output: the given rows, the rest zero (as the model pads). */
function output(rows: RowSpec[]): Float32Array {
  const out = new Float32Array(MOVENET_MAX_POSES * MOVENET_ROW_LENGTH);
  rows.forEach((row, r) => {
    const base = r * MOVENET_ROW_LENGTH;
    for (let k = 0; k < COCO17_KEYPOINTS.length; k++) out.set(row.keypoint(k), base + k * 3);
    out.set([...row.box, row.score], base + COCO17_KEYPOINTS.length * 3);
  });
  return out;
}

/** Normalised input coordinate of a frame pixel, computed independently of the decoder. */
function norm(lb: Letterbox, xFrame: number, yFrame: number): [number, number] {
  const sx = lb.resized.width / lb.frame.width;
  const sy = lb.resized.height / lb.frame.height;
  return [(yFrame * sy + lb.padTop) / lb.input.height, (xFrame * sx + lb.padLeft) / lb.input.width];
}

describe('movenet-decode', () => {
  // 1920×1080 into 640×384: scaled by 1/3, 12 px of padding above and below.
  const wide = fitLetterbox(
    { width: 1920, height: 1080 },
    networkSizeFor({ width: 1920, height: 1080 }, 640),
  );

  it('puts keypoints and the box of a 16:9 frame back into frame pixels', () => {
    const [y0, x0] = norm(wide, 900, 300);
    const [y1, x1] = norm(wide, 1020, 700);
    const poses = decodeMoveNet(
      output([
        {
          keypoint: (k) => [...norm(wide, 950 + k, 320 + 20 * k), 0.9] as [number, number, number],
          box: [y0, x0, y1, x1],
          score: 0.8,
        },
      ]),
      wide,
    );
    expect(poses).to.have.length(1);
    const [pose] = poses;
    expect(pose.score).to.be.closeTo(0.8, TOL);
    expect(pose.keypoints.map((k) => k.name)).to.deep.equal([...COCO17_KEYPOINTS]);
    const ankle = pose.keypoints[16];
    expect(ankle.x).to.be.closeTo(966, 0.01);
    expect(ankle.y).to.be.closeTo(640, 0.01);
    expect(ankle.score).to.be.closeTo(0.9, TOL);
    expect(pose.box.x1).to.be.closeTo(900, 0.01);
    expect(pose.box.y1).to.be.closeTo(300, 0.01);
    expect(pose.box.x2).to.be.closeTo(1020, 0.01);
    expect(pose.box.y2).to.be.closeTo(700, 0.01);
  });

  it('decodes a portrait frame padded left and right', () => {
    const tall = fitLetterbox(
      { width: 576, height: 1024 },
      networkSizeFor({ width: 576, height: 1024 }, 256),
    );
    expect(tall.padLeft).to.be.above(0);
    const [y, x] = norm(tall, 100, 900);
    const poses = decodeMoveNet(
      output([{ keypoint: () => [y, x, 0.7], box: [0, 0, 1, 1], score: 0.5 }]),
      tall,
    );
    expect(poses[0].keypoints[0].x).to.be.closeTo(100, 0.01);
    expect(poses[0].keypoints[0].y).to.be.closeTo(900, 0.01);
    // The whole input (padding included) clipped to the frame is the frame.
    expect(poses[0].box).to.deep.equal({ x1: 0, y1: 0, x2: 576, y2: 1024 });
  });

  it('drops rows under the pose score threshold and the zero rows the model pads with', () => {
    const row = (score: number): RowSpec => ({
      keypoint: () => [0.5, 0.5, 0.9],
      box: [0.4, 0.4, 0.6, 0.6],
      score,
    });
    const poses = decodeMoveNet(
      output([row(0.3), row(DEFAULT_MIN_POSE_SCORE - 0.01), row(0.9)]),
      wide,
    );
    expect(poses.map((p) => p.score)).to.deep.equal([Math.fround(0.9), Math.fround(0.3)]);
    expect(decodeMoveNet(output([row(0.3)]), wide, { minPoseScore: 0.5 })).to.have.length(0);
  });

  it('leaves out keypoints under the keypoint threshold', () => {
    const poses = decodeMoveNet(
      output([
        {
          keypoint: (k) => [0.5, 0.5, k < 5 ? 0.05 : 0.6],
          box: [0.4, 0.4, 0.6, 0.6],
          score: 0.5,
        },
      ]),
      wide,
      { minKeypointScore: 0.1 },
    );
    expect(poses[0].keypoints).to.have.length(12);
    expect(poses[0].keypoints[0].name).to.equal('left_shoulder');
  });

  it('clamps keypoints in the padding to the frame and drops a box lying wholly in it', () => {
    const poses = decodeMoveNet(
      output([
        { keypoint: () => [0.01, 0.5, 0.9], box: [0.005, 0.4, 0.02, 0.6], score: 0.9 },
        { keypoint: () => [0.01, 0.5, 0.9], box: [0.01, 0.4, 0.6, 0.6], score: 0.8 },
      ]),
      wide,
    );
    expect(poses).to.have.length(1);
    expect(poses[0].box.y1).to.equal(0);
    expect(poses[0].keypoints[0].y).to.equal(0);
  });

  it('rejects an output whose length is not a whole number of rows', () => {
    expect(() => decodeMoveNet(new Float32Array(55), wide)).to.throw(RangeError, /56/);
  });
});
