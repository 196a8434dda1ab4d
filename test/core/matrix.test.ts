import { expect } from 'chai';
import { identity, invert, multiply, symmetrize, transpose } from '../../src/core/matrix';

const TOLERANCE = 1e-9;

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).to.equal(expected.length);
  actual.forEach((row, i) =>
    row.forEach((v, j) => expect(v).to.be.closeTo(expected[i][j], TOLERANCE)),
  );
}

describe('matrix', () => {
  it('multiplies a 2×3 by a 3×2 matrix', () => {
    const a = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const b = [
      [7, 8],
      [9, 10],
      [11, 12],
    ];
    expect(multiply(a, b)).to.deep.equal([
      [58, 64],
      [139, 154],
    ]);
  });

  it('refuses to multiply matrices whose inner sizes differ', () => {
    expect(() => multiply([[1, 2]], [[1, 2]])).to.throw(RangeError, '1×2 by 1×2');
  });

  it('inverts a symmetric positive definite 4×4 matrix so that A·A⁻¹ = I', () => {
    const m = [
      [4, 1, 0.5, 0],
      [1, 3, 0.2, 0.1],
      [0.5, 0.2, 2, 0.3],
      [0, 0.1, 0.3, 1],
    ];
    expectClose(multiply(m, invert(m)), identity(4));
  });

  it('inverts a matrix that needs a row swap (zero on the diagonal)', () => {
    const m = [
      [0, 2],
      [3, 1],
    ];
    expectClose(multiply(invert(m), m), identity(2));
  });

  it('throws RangeError for a singular matrix instead of returning Infinity', () => {
    expect(() =>
      invert([
        [1, 2],
        [2, 4],
      ]),
    ).to.throw(RangeError, 'singular');
  });

  it('transposes and symmetrizes without touching its argument', () => {
    const m = [
      [1, 2],
      [4, 3],
    ];
    expect(transpose(m)).to.deep.equal([
      [1, 4],
      [2, 3],
    ]);
    expect(symmetrize(m)).to.deep.equal([
      [1, 3],
      [3, 3],
    ]);
    expect(m).to.deep.equal([
      [1, 2],
      [4, 3],
    ]);
  });
});
