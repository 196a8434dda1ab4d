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
 */
import type { BoxXYXY } from './box';
import {
  add,
  column,
  diagonal,
  identity,
  invert,
  type Matrix,
  multiply,
  subtract,
  symmetrize,
  transpose,
  zeros,
} from './matrix';

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

const STATE_SIZE = 8;
const MEASUREMENT_SIZE = 4;
/** H: the measurement is the first four state entries. */
const H: Matrix = zeros(MEASUREMENT_SIZE, STATE_SIZE).map((row, i) => {
  row[i] = 1;
  return row;
});
const H_T = transpose(H);

/** Chi-square 95 % quantile for 4 degrees of freedom: a gate for `mahalanobisSquared`. */
export const GATE_CHI2_4DOF_95 = 9.4877;

export class KalmanBoxFilter {
  private x: Matrix;
  private p: Matrix;
  private readonly noise: KalmanBoxNoise;

  constructor(box: BoxXYXY, noise: Partial<KalmanBoxNoise> = {}) {
    this.noise = { ...DEFAULT_KALMAN_BOX_NOISE, ...noise };
    const z = boxToMeasurement(box);
    this.x = column([...z, 0, 0, 0, 0]);
    const h = scaleOf(z[3]);
    const n = this.noise;
    this.p = diagonal(
      [
        n.measurementPositionStd,
        n.measurementPositionStd,
        n.measurementSizeStd,
        n.measurementSizeStd,
        n.initialVelocityPositionStd,
        n.initialVelocityPositionStd,
        n.initialVelocitySizeStd,
        n.initialVelocitySizeStd,
      ].map((std) => (std * h) ** 2),
    );
  }

  /** Advances the state by `dtFrames` frames (more than 1 when frames were dropped or skipped). */
  predict(dtFrames: number): void {
    if (!Number.isFinite(dtFrames) || dtFrames <= 0) {
      throw new RangeError(`dtFrames must be a finite number > 0, got ${dtFrames}`);
    }
    const f = transitionMatrix(dtFrames);
    this.x = multiply(f, this.x);
    this.p = symmetrize(
      add(multiply(multiply(f, this.p), transpose(f)), this.processNoise(dtFrames)),
    );
    this.keepSizePositive();
  }

  /** Corrects the state with a detected box. */
  update(box: BoxXYXY): void {
    const z = boxToMeasurement(box);
    const r = this.measurementNoise(z[3]);
    const innovation = subtract(column(z), multiply(H, this.x));
    const s = add(multiply(multiply(H, this.p), H_T), r);
    const gain = multiply(multiply(this.p, H_T), invert(s));
    this.x = add(this.x, multiply(gain, innovation));
    // Joseph form, (I-KH) P (I-KH)ᵀ + K R Kᵀ: stays symmetric positive definite under rounding,
    // which the short form (I-KH) P does not guarantee over thousands of frames.
    const iKh = subtract(identity(STATE_SIZE), multiply(gain, H));
    const kept = multiply(multiply(iKh, this.p), transpose(iKh));
    this.p = symmetrize(add(kept, multiply(multiply(gain, r), transpose(gain))));
    this.keepSizePositive();
  }

  /**
   * Squared Mahalanobis distance between a detected box and the predicted measurement; compare
   * with `GATE_CHI2_4DOF_95` to reject detections the track cannot plausibly have produced.
   */
  mahalanobisSquared(box: BoxXYXY): number {
    const z = boxToMeasurement(box);
    const y = subtract(column(z), multiply(H, this.x));
    const s = add(multiply(multiply(H, this.p), H_T), this.measurementNoise(z[3]));
    return multiply(multiply(transpose(y), invert(s)), y)[0][0];
  }

  /** The current (predicted or corrected) box. */
  get box(): BoxXYXY {
    const [cx, cy, w, h] = this.x.map((row) => row[0]);
    return { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 };
  }

  /** Box-centre velocity in pixels per frame. */
  get velocity(): { x: number; y: number } {
    return { x: this.x[4][0], y: this.x[5][0] };
  }

  /** A copy of the state vector [cx, cy, w, h, vcx, vcy, vw, vh]. */
  get state(): number[] {
    return this.x.map((row) => row[0]);
  }

  /** A copy of the state covariance (8×8). */
  get covariance(): Matrix {
    return this.p.map((row) => [...row]);
  }

  private processNoise(dt: number): Matrix {
    const h = scaleOf(this.x[3][0]);
    const q = zeros(STATE_SIZE, STATE_SIZE);
    const stds = [
      this.noise.accelerationPositionStd,
      this.noise.accelerationPositionStd,
      this.noise.accelerationSizeStd,
      this.noise.accelerationSizeStd,
    ];
    stds.forEach((std, i) => {
      const variance = (std * h) ** 2;
      const v = i + MEASUREMENT_SIZE;
      q[i][i] = (variance * dt ** 4) / 4;
      q[i][v] = (variance * dt ** 3) / 2;
      q[v][i] = (variance * dt ** 3) / 2;
      q[v][v] = variance * dt ** 2;
    });
    return q;
  }

  private measurementNoise(measuredHeight: number): Matrix {
    const h = scaleOf(measuredHeight);
    const { measurementPositionStd: pos, measurementSizeStd: size } = this.noise;
    return diagonal([pos, pos, size, size].map((std) => (std * h) ** 2));
  }

  /** A shrinking box must not pass through zero size: clamp it and stop it shrinking further. */
  private keepSizePositive(): void {
    for (const i of [2, 3]) {
      if (this.x[i][0] < MIN_BOX_SIZE_PX) {
        this.x[i][0] = MIN_BOX_SIZE_PX;
        this.x[i + MEASUREMENT_SIZE][0] = Math.max(0, this.x[i + MEASUREMENT_SIZE][0]);
      }
    }
  }
}

/** [cx, cy, w, h] of a corner box. */
export function boxToMeasurement(box: BoxXYXY): [number, number, number, number] {
  return [(box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2, box.x2 - box.x1, box.y2 - box.y1];
}

/** F for a constant-velocity model over `dt` frames: position += velocity × dt. */
function transitionMatrix(dt: number): Matrix {
  const f = identity(STATE_SIZE);
  for (let i = 0; i < MEASUREMENT_SIZE; i += 1) f[i][i + MEASUREMENT_SIZE] = dt;
  return f;
}

/** The size every noise is scaled by, never below the minimum box size. */
function scaleOf(height: number): number {
  return Math.max(height, MIN_BOX_SIZE_PX);
}
