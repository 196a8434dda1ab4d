/**
 * Constant-velocity Kalman filter on one person's box, in the spirit of SORT (Bewley et al. 2016)
 * but with a state and noise model chosen for people seen at very different distances.
 *
 * State x (8): [cx, cy, w, h, vcx, vcy, vw, vh] — box centre, width and height in pixels, and
 * their velocities in pixels per frame. Measurement z (4): [cx, cy, w, h].
 *
 * Why width and height rather than SORT's area and aspect ratio: both stay linear in the box
 * corners, so the measurement model H is a plain selection and the filter is exactly linear; and
 * a walking person's aspect ratio swings with every stride, which an area/aspect state would
 * have to explain as velocity.
 *
 * Why every noise is a fraction of the box height: a person 30 px tall far from the camera and
 * one 300 px tall near it jitter, walk and accelerate by the same amounts *relative to their
 * size*. Fixed pixel noises would make the filter sluggish for small people and jumpy for large
 * ones; scaling by height makes them behave alike. Height (not width) is the scale because a
 * standing person's height is the dimension that changes least with pose and arm swing.
 *
 * Why the process noise is the discrete white-acceleration model: Q depends on the elapsed time
 * dt (dt⁴/4, dt³/2, dt² terms), so a prediction across dropped frames grows the uncertainty by the
 * right amount instead of pretending only one frame passed.
 *
 * Why four small filters instead of one 8×8 filter: F, H, Q and R only ever link a coordinate
 * with its own velocity, and the initial covariance is diagonal, so the 8×8 covariance is and
 * stays four independent 2×2 blocks, one per (value, velocity) pair. Running the four blocks
 * directly gives exactly the 8×8 filter's numbers at a small fraction of its cost (no matrix
 * products, no inversion: the innovation covariance S is diagonal), which matters when one
 * process tracks many cameras.
 */
import type { BoxXYXY } from './box';

/** Noise settings, each a standard deviation expressed as a fraction of the box height. */
export interface KalmanBoxNoise {
  /** Jitter of a detected box's centre (pose boxes wander with keypoint noise). */
  measurementPositionStd: number;
  /** Jitter of a detected box's width and height (limbs in and out of the box change it). */
  measurementSizeStd: number;
  /** Random acceleration of the centre, per frame². */
  accelerationPositionStd: number;
  /** Random acceleration of width and height, per frame² (size changes slowly when walking). */
  accelerationSizeStd: number;
  /** Uncertainty of the first velocity guess (zero), per frame: generous, direction unknown. */
  initialVelocityPositionStd: number;
  /** Uncertainty of the first size-velocity guess (zero), per frame. */
  initialVelocitySizeStd: number;
}

export const DEFAULT_KALMAN_BOX_NOISE: Readonly<KalmanBoxNoise> = Object.freeze({
  measurementPositionStd: 0.05,
  measurementSizeStd: 0.08,
  accelerationPositionStd: 0.005,
  accelerationSizeStd: 0.005,
  initialVelocityPositionStd: 0.1,
  initialVelocitySizeStd: 0.02,
});

/** The smallest width or height a predicted box may shrink to, in pixels. */
export const MIN_BOX_SIZE_PX = 1;

/** Measured values: centre x, centre y, width, height; each has a velocity in the state. */
const MEASUREMENT_SIZE = 4;
const STATE_SIZE = 2 * MEASUREMENT_SIZE;
const WIDTH = 2;
const HEIGHT = 3;

/** Chi-square 95 % quantile for 4 degrees of freedom: a gate for `mahalanobisSquared`. */
export const GATE_CHI2_4DOF_95 = 9.4877;

export class KalmanBoxFilter {
  /** Value of each measured coordinate [cx, cy, w, h]. */
  private readonly value = new Float64Array(MEASUREMENT_SIZE);
  /** Its velocity, per frame. */
  private readonly rate = new Float64Array(MEASUREMENT_SIZE);
  /** Per coordinate, the 2×2 covariance of (value, velocity): variances and their covariance. */
  private readonly varValue = new Float64Array(MEASUREMENT_SIZE);
  private readonly covValueRate = new Float64Array(MEASUREMENT_SIZE);
  private readonly varRate = new Float64Array(MEASUREMENT_SIZE);
  private readonly noise: KalmanBoxNoise;
  /** Measurement and acceleration stds per coordinate, as fractions of the height. */
  private readonly measurementStd: readonly number[];
  private readonly accelerationStd: readonly number[];

  constructor(box: BoxXYXY, noise: Partial<KalmanBoxNoise> = {}) {
    this.noise = { ...DEFAULT_KALMAN_BOX_NOISE, ...noise };
    const n = this.noise;
    this.measurementStd = [
      n.measurementPositionStd,
      n.measurementPositionStd,
      n.measurementSizeStd,
      n.measurementSizeStd,
    ];
    this.accelerationStd = [
      n.accelerationPositionStd,
      n.accelerationPositionStd,
      n.accelerationSizeStd,
      n.accelerationSizeStd,
    ];
    const initialRateStd = [
      n.initialVelocityPositionStd,
      n.initialVelocityPositionStd,
      n.initialVelocitySizeStd,
      n.initialVelocitySizeStd,
    ];
    const z = boxToMeasurement(box);
    const h = scaleOf(z[HEIGHT]);
    for (let i = 0; i < MEASUREMENT_SIZE; i += 1) {
      this.value[i] = z[i];
      this.varValue[i] = (this.measurementStd[i] * h) ** 2;
      this.varRate[i] = (initialRateStd[i] * h) ** 2;
    }
  }

  /** Advances the state by `dtFrames` frames (more than 1 when frames were dropped or skipped). */
  predict(dtFrames: number): void {
    if (!Number.isFinite(dtFrames) || dtFrames <= 0) {
      throw new RangeError(`dtFrames must be a finite number > 0, got ${dtFrames}`);
    }
    const dt = dtFrames;
    for (let i = 0; i < MEASUREMENT_SIZE; i += 1) this.value[i] += this.rate[i] * dt;
    // The process noise scales with the predicted height, as the state now stands.
    const h = scaleOf(this.value[HEIGHT]);
    for (let i = 0; i < MEASUREMENT_SIZE; i += 1) {
      const a = this.varValue[i];
      const b = this.covValueRate[i];
      const c = this.varRate[i];
      const q = (this.accelerationStd[i] * h) ** 2;
      // F P Fᵀ + Q with F = [[1, dt], [0, 1]] and the white-acceleration Q.
      this.varValue[i] = a + 2 * dt * b + dt * dt * c + (q * dt ** 4) / 4;
      this.covValueRate[i] = b + dt * c + (q * dt ** 3) / 2;
      this.varRate[i] = c + q * dt * dt;
    }
    this.keepSizePositive();
  }

  /** Corrects the state with a detected box. */
  update(box: BoxXYXY): void {
    const z = boxToMeasurement(box);
    const h = scaleOf(z[HEIGHT]);
    for (let i = 0; i < MEASUREMENT_SIZE; i += 1) {
      const a = this.varValue[i];
      const b = this.covValueRate[i];
      const c = this.varRate[i];
      const r = (this.measurementStd[i] * h) ** 2;
      const s = a + r;
      const gainValue = a / s;
      const gainRate = b / s;
      const innovation = z[i] - this.value[i];
      this.value[i] += gainValue * innovation;
      this.rate[i] += gainRate * innovation;
      // Joseph form, (I-KH) P (I-KH)ᵀ + K R Kᵀ, written out for the 2×2 block: it stays
      // positive definite under rounding, which the short form (I-KH) P does not guarantee.
      const keep = 1 - gainValue;
      this.varValue[i] = keep * keep * a + gainValue * gainValue * r;
      this.covValueRate[i] = keep * (b - gainRate * a) + gainValue * gainRate * r;
      this.varRate[i] = gainRate * gainRate * a - 2 * gainRate * b + c + gainRate * gainRate * r;
    }
    this.keepSizePositive();
  }

  /**
   * Squared Mahalanobis distance between a detected box and the predicted measurement; compare
   * with `GATE_CHI2_4DOF_95` to reject detections the track cannot plausibly have produced.
   */
  mahalanobisSquared(box: BoxXYXY): number {
    const z = boxToMeasurement(box);
    const h = scaleOf(z[HEIGHT]);
    let d2 = 0;
    for (let i = 0; i < MEASUREMENT_SIZE; i += 1) {
      const y = z[i] - this.value[i];
      d2 += (y * y) / (this.varValue[i] + (this.measurementStd[i] * h) ** 2);
    }
    return d2;
  }

  /** The current (predicted or corrected) box. */
  get box(): BoxXYXY {
    const v = this.value; // indexed, not destructured: a typed array's iterator is slow
    return { x1: v[0] - v[2] / 2, y1: v[1] - v[3] / 2, x2: v[0] + v[2] / 2, y2: v[1] + v[3] / 2 };
  }

  /** Box-centre velocity in pixels per frame. */
  get velocity(): { x: number; y: number } {
    return { x: this.rate[0], y: this.rate[1] };
  }

  /** A copy of the state vector [cx, cy, w, h, vcx, vcy, vw, vh]. */
  get state(): number[] {
    return [...this.value, ...this.rate];
  }

  /** The state covariance as the full 8×8 matrix, in the order of `state` (a copy). */
  get covariance(): number[][] {
    const p = Array.from({ length: STATE_SIZE }, () => new Array<number>(STATE_SIZE).fill(0));
    for (let i = 0; i < MEASUREMENT_SIZE; i += 1) {
      const v = i + MEASUREMENT_SIZE;
      p[i][i] = this.varValue[i];
      p[i][v] = this.covValueRate[i];
      p[v][i] = this.covValueRate[i];
      p[v][v] = this.varRate[i];
    }
    return p;
  }

  /** A shrinking box must not pass through zero size: clamp it and stop it shrinking further. */
  private keepSizePositive(): void {
    for (const i of [WIDTH, HEIGHT]) {
      if (this.value[i] < MIN_BOX_SIZE_PX) {
        this.value[i] = MIN_BOX_SIZE_PX;
        this.rate[i] = Math.max(0, this.rate[i]);
      }
    }
  }
}

/** [cx, cy, w, h] of a corner box. */
export function boxToMeasurement(box: BoxXYXY): [number, number, number, number] {
  return [(box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2, box.x2 - box.x1, box.y2 - box.y1];
}

/** The size every noise is scaled by, never below the minimum box size. */
function scaleOf(height: number): number {
  return Math.max(height, MIN_BOX_SIZE_PX);
}
