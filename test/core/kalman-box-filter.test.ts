import { expect } from 'chai';
import type { BoxXYXY } from '../../src/core/box';
import {
  GATE_CHI2_4DOF_95,
  KalmanBoxFilter,
  MIN_BOX_SIZE_PX,
} from '../../src/core/kalman-box-filter';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so every run sees the same jitter. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Walk {
  cx: number;
  cy: number;
  w: number;
  h: number;
  vx: number;
  vy: number;
}

function boxAt(walk: Walk, frame: number, jitterPx = 0, rand: () => number = () => 0.5): BoxXYXY {
  const cx = walk.cx + walk.vx * frame + (rand() - 0.5) * 2 * jitterPx;
  const cy = walk.cy + walk.vy * frame + (rand() - 0.5) * 2 * jitterPx;
  return { x1: cx - walk.w / 2, y1: cy - walk.h / 2, x2: cx + walk.w / 2, y2: cy + walk.h / 2 };
}

/** Runs the filter over frames 0..frames-1 of a walk: update on frame 0, predict+update after. */
function follow(walk: Walk, frames: number, jitterPx: number, seed = 7): KalmanBoxFilter {
  const rand = random(seed);
  const filter = new KalmanBoxFilter(boxAt(walk, 0, jitterPx, rand));
  for (let f = 1; f < frames; f += 1) {
    filter.predict(1);
    filter.update(boxAt(walk, f, jitterPx, rand));
  }
  return filter;
}

const WALKER: Walk = { cx: 100, cy: 200, w: 40, h: 100, vx: 3, vy: -1 };

describe('KalmanBoxFilter', () => {
  it('converges on the velocity of a constant-velocity walker with jittery boxes', () => {
    const filter = follow(WALKER, 40, 2);
    expect(filter.velocity.x).to.be.closeTo(WALKER.vx, 0.4);
    expect(filter.velocity.y).to.be.closeTo(WALKER.vy, 0.4);
    const [cx, cy, w, h] = filter.state;
    expect(cx).to.be.closeTo(WALKER.cx + WALKER.vx * 39, 2);
    expect(cy).to.be.closeTo(WALKER.cy + WALKER.vy * 39, 2);
    expect(w).to.be.closeTo(WALKER.w, 2);
    expect(h).to.be.closeTo(WALKER.h, 2);
  });

  it('predicts across a gap of 3 frames to where the walker then is', () => {
    const filter = follow(WALKER, 30, 0);
    filter.predict(3);
    const truth = boxAt(WALKER, 32);
    const box = filter.box;
    expect(box.x1).to.be.closeTo(truth.x1, 0.5);
    expect(box.y1).to.be.closeTo(truth.y1, 0.5);
    expect(box.x2).to.be.closeTo(truth.x2, 0.5);
    expect(box.y2).to.be.closeTo(truth.y2, 0.5);
  });

  it('grows its position uncertainty more over 3 frames than over 1', () => {
    const one = follow(WALKER, 30, 2);
    const three = follow(WALKER, 30, 2);
    one.predict(1);
    three.predict(3);
    expect(three.covariance[0][0]).to.be.greaterThan(one.covariance[0][0] * 1.5);
  });

  it('behaves alike for a person 10 times larger (noise scales with box size)', () => {
    const small = follow(WALKER, 25, 2, 11);
    const big: Walk = { cx: 1000, cy: 2000, w: 400, h: 1000, vx: 30, vy: -10 };
    const large = follow(big, 25, 20, 11);
    small.state.forEach((v, i) =>
      expect(large.state[i]).to.be.closeTo(v * 10, 1e-6 * 10 * (1 + Math.abs(v))),
    );
  });

  it('never lets a shrinking box reach zero size', () => {
    const filter = new KalmanBoxFilter({ x1: 0, y1: 0, x2: 20, y2: 20 });
    for (let size = 18; size >= 4; size -= 2) {
      filter.predict(1);
      filter.update({ x1: 0, y1: 0, x2: size, y2: size });
    }
    filter.predict(30);
    const box = filter.box;
    expect(box.x2 - box.x1).to.be.at.least(MIN_BOX_SIZE_PX);
    expect(box.y2 - box.y1).to.be.at.least(MIN_BOX_SIZE_PX);
  });

  it('gates: the true next box is inside the 95 % gate, a box two heights away is outside', () => {
    const filter = follow(WALKER, 20, 1);
    filter.predict(1);
    expect(filter.mahalanobisSquared(boxAt(WALKER, 20))).to.be.below(GATE_CHI2_4DOF_95);
    const far = boxAt({ ...WALKER, cy: WALKER.cy + 2 * WALKER.h }, 20);
    expect(filter.mahalanobisSquared(far)).to.be.above(GATE_CHI2_4DOF_95);
  });

  it('rejects a time step that is not a positive finite number of frames', () => {
    const filter = new KalmanBoxFilter({ x1: 0, y1: 0, x2: 10, y2: 20 });
    expect(() => filter.predict(0)).to.throw(RangeError, 'dtFrames');
    expect(() => filter.predict(Number.NaN)).to.throw(RangeError, 'dtFrames');
  });
});
