import { expect } from 'chai';
import { evaluateMot } from '../../src/core/mot-evaluation';
import type { MotRow } from '../../src/core/mot-format';

function row(frame: number, id: number, x: number, score = 1): MotRow {
  return { frame, id, box: { x1: x, y1: 0, x2: x + 10, y2: 10 }, score };
}

describe('evaluateMot', () => {
  it('neither rewards nor punishes a tracker for following ground truth marked not to consider', () => {
    const gt = [row(1, 1, 0), row(2, 1, 0), row(1, 2, 100, 0), row(2, 2, 100, 0)];
    const res = [row(1, 5, 0), row(2, 5, 0), row(1, 6, 100), row(2, 6, 100), row(2, 7, 300)];
    const e = evaluateMot(gt, res);
    expect(e).to.include({ gtBoxes: 2, gtIds: 1, matches: 2, falsePositives: 1, resIds: 2 });
    expect(e.mota).to.be.closeTo(1 - 1 / 2, 1e-12);
    expect(e.idf1).to.be.closeTo((2 * 2) / (2 * 2 + 1 + 0), 1e-12);
  });

  it('rejects an IoU criterion outside (0, 1]', () => {
    expect(() => evaluateMot([], [], 0)).to.throw(RangeError, 'minIou must be in (0, 1], got 0');
  });
});
