import { expect } from 'chai';
import type { BoxXYXY } from '../../src/core/box';
import {
  boxToMeasurement,
  DEFAULT_KALMAN_BOX_NOISE,
  GATE_CHI2_4DOF_95,
  KalmanBoxFilter,
  MIN_BOX_SIZE_PX,
} from '../../src/core/kalman-box-filter';
import {
  add,
  column,
  diagonal,
  identity,
  invert,
  type Matrix,
  multiply,
  subtract,
  transpose,
  zeros,
} from '../../src/core/matrix';

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

/**
 * The textbook 8×8 Kalman filter with the same model (x' = F x, P' = F P Fᵀ + Q, then the
 * Joseph-form update), to check that the filter's four 2×2 blocks give exactly its numbers.
 */
class ReferenceFilter {
  x: Matrix;
  p: Matrix;
  private readonly n = DEFAULT_KALMAN_BOX_NOISE;

  constructor(box: BoxXYXY) {
    const z = boxToMeasurement(box);
    this.x = column([...z, 0, 0, 0, 0]);
    const { measurementPositionStd: mp, measurementSizeStd: ms } = this.n;
    const { initialVelocityPositionStd: vp, initialVelocitySizeStd: vs } = this.n;
    this.p = diagonal([mp, mp, ms, ms, vp, vp, vs, vs].map((std) => (std * z[3]) ** 2));
  }

  predict(dt: number): void {
    const f = identity(8);
    for (let i = 0; i < 4; i += 1) f[i][i + 4] = dt;
    this.x = multiply(f, this.x);
    const h = this.x[3][0];
    const q = zeros(8, 8);
    const { accelerationPositionStd: ap, accelerationSizeStd: as } = this.n;
    [ap, ap, as, as].forEach((std, i) => {
      const v = (std * h) ** 2;
      q[i][i] = (v * dt ** 4) / 4;
      q[i][i + 4] = (v * dt ** 3) / 2;
      q[i + 4][i] = (v * dt ** 3) / 2;
      q[i + 4][i + 4] = v * dt ** 2;
    });
    this.p = add(multiply(multiply(f, this.p), transpose(f)), q);
  }

  update(box: BoxXYXY): void {
    const z = boxToMeasurement(box);
    const hm = zeros(4, 8).map((row, i) => {
      row[i] = 1;
      return row;
    });
    const { measurementPositionStd: mp, measurementSizeStd: ms } = this.n;
    const r = diagonal([mp, mp, ms, ms].map((std) => (std * z[3]) ** 2));
    const s = add(multiply(multiply(hm, this.p), transpose(hm)), r);
    const k = multiply(multiply(this.p, transpose(hm)), invert(s));
    this.x = add(this.x, multiply(k, subtract(column(z), multiply(hm, this.x))));
    const ikh = subtract(identity(8), multiply(k, hm));
    this.p = add(
      multiply(multiply(ikh, this.p), transpose(ikh)),
      multiply(multiply(k, r), transpose(k)),
    );
  }
}

describe('KalmanBoxFilter', () => {
  it('gives exactly the numbers of the full 8×8 filter, across gaps and jitter', () => {
    const rand = random(3);
    const steps = [0, 1, 2, 5, 6, 14, 15].map((frame) => ({
      frame,
      box: boxAt(WALKER, frame, 2, rand),
    }));
    const filter = new KalmanBoxFilter(steps[0].box);
    const reference = new ReferenceFilter(steps[0].box);
    for (let s = 1; s < steps.length; s += 1) {
      const dt = steps[s].frame - steps[s - 1].frame;
      filter.predict(dt);
      reference.predict(dt);
      filter.update(steps[s].box);
      reference.update(steps[s].box);
      filter.state.forEach((v, i) => expect(v).to.be.closeTo(reference.x[i][0], 1e-9));
      filter.covariance.forEach((row, i) =>
        row.forEach((v, j) => expect(v).to.be.closeTo(reference.p[i][j], 1e-9 * (1 + Math.abs(v)))),
      );
    }
  });

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
