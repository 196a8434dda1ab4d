/**
 * Small dense matrices for the Kalman filter (8×8 state, 4×4 measurement). Row-major arrays of
 * rows; every function returns a new matrix and never changes its arguments, so a filter's state
 * cannot be corrupted by aliasing. Sizes are checked because a shape mistake would otherwise show
 * up as silent NaNs many frames later.
 */

export type Matrix = number[][];

export function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function identity(size: number): Matrix {
  const m = zeros(size, size);
  for (let i = 0; i < size; i += 1) m[i][i] = 1;
  return m;
}

export function diagonal(values: readonly number[]): Matrix {
  const m = zeros(values.length, values.length);
  values.forEach((v, i) => {
    m[i][i] = v;
  });
  return m;
}

/** A column vector (n×1) from its entries. */
export function column(values: readonly number[]): Matrix {
  return values.map((v) => [v]);
}

export function rowsOf(m: Matrix): number {
  return m.length;
}

export function colsOf(m: Matrix): number {
  return m.length === 0 ? 0 : m[0].length;
}

export function transpose(m: Matrix): Matrix {
  const out = zeros(colsOf(m), rowsOf(m));
  for (let i = 0; i < rowsOf(m); i += 1) {
    for (let j = 0; j < colsOf(m); j += 1) out[j][i] = m[i][j];
  }
  return out;
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  if (colsOf(a) !== rowsOf(b)) {
    throw new RangeError(`cannot multiply ${shape(a)} by ${shape(b)}`);
  }
  const out = zeros(rowsOf(a), colsOf(b));
  for (let i = 0; i < rowsOf(a); i += 1) {
    for (let k = 0; k < colsOf(a); k += 1) {
      const aik = a[i][k];
      if (aik === 0) continue; // F and H are mostly zeros; skipping them is the cheap win
      for (let j = 0; j < colsOf(b); j += 1) out[i][j] += aik * b[k][j];
    }
  }
  return out;
}

export function add(a: Matrix, b: Matrix): Matrix {
  sameShape(a, b, 'add');
  return a.map((row, i) => row.map((v, j) => v + b[i][j]));
}

export function subtract(a: Matrix, b: Matrix): Matrix {
  sameShape(a, b, 'subtract');
  return a.map((row, i) => row.map((v, j) => v - b[i][j]));
}

export function scale(m: Matrix, factor: number): Matrix {
  return m.map((row) => row.map((v) => v * factor));
}

/**
 * Inverse by Gauss–Jordan elimination with partial pivoting (the measurement covariance S is
 * 4×4 and symmetric positive definite, so pivoting is only a guard against rounding).
 * Throws RangeError for a singular matrix rather than returning Infinity entries.
 */
export function invert(m: Matrix): Matrix {
  const n = rowsOf(m);
  if (colsOf(m) !== n) throw new RangeError(`cannot invert non-square ${shape(m)}`);
  const work = m.map((row, i) => [...row, ...identity(n)[i]]);
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) {
      if (Math.abs(work[r][col]) > Math.abs(work[pivot][col])) pivot = r;
    }
    const p = work[pivot][col];
    if (!Number.isFinite(p) || Math.abs(p) < 1e-300) {
      throw new RangeError(`matrix is singular (pivot ${p} in column ${col})`);
    }
    [work[col], work[pivot]] = [work[pivot], work[col]];
    const pivotRow = work[col].map((v) => v / p);
    work[col] = pivotRow;
    for (let r = 0; r < n; r += 1) {
      if (r === col) continue;
      const f = work[r][col];
      if (f !== 0) work[r] = work[r].map((v, j) => v - f * pivotRow[j]);
    }
  }
  return work.map((row) => row.slice(n));
}

/** Averages a matrix with its transpose, removing the asymmetry rounding adds to a covariance. */
export function symmetrize(m: Matrix): Matrix {
  return m.map((row, i) => row.map((v, j) => (v + m[j][i]) / 2));
}

function shape(m: Matrix): string {
  return `${rowsOf(m)}×${colsOf(m)}`;
}

function sameShape(a: Matrix, b: Matrix, op: string): void {
  if (rowsOf(a) !== rowsOf(b) || colsOf(a) !== colsOf(b)) {
    throw new RangeError(`cannot ${op} ${shape(a)} and ${shape(b)}`);
  }
}
