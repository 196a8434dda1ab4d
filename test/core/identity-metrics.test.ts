import { expect } from 'chai';
import { identityMetrics } from '../../src/core/identity-metrics';
import type { MotRow } from '../../src/core/mot-format';

function row(frame: number, id: number, x: number): MotRow {
  return { frame, id, box: { x1: x, y1: 0, x2: x + 10, y2: 10 }, score: 1 };
}

describe('identityMetrics', () => {
  it('pairs each truth with one tracker id for the whole sequence, as worked out by hand', () => {
    const gt = [1, 2, 3, 4].flatMap((f) => [row(f, 1, 0), row(f, 2, 100)]);
    const res = [
      ...[1, 2].map((f) => row(f, 10, 0)),
      ...[3, 4].map((f) => row(f, 11, 0)), // truth 1's second half under another id
      ...[1, 2, 4].map((f) => row(f, 20, 100)),
      row(2, 30, 300),
    ];
    const m = identityMetrics(gt, res);
    // Truth 1 pairs with 10 or 11 (2 frames), truth 2 with 20 (3 frames): IDTP 5 of 8 and 8.
    expect(m).to.include({ idtp: 5, idfn: 3, idfp: 3, gtIds: 2, resIds: 4 });
    expect(m.idf1).to.be.closeTo(10 / 16, 1e-12);
    expect(m.idp).to.be.closeTo(5 / 8, 1e-12);
    expect(m.idr).to.be.closeTo(5 / 8, 1e-12);
  });

  it('maximises identity-true-positives, not the number of pairs', () => {
    // Truth A with X for 3 frames and with Y for 1; truth B with X for 1. Pairing A–Y and B–X
    // makes two pairs but only 2 IDTP; A–X alone makes 3.
    const gt = [1, 2, 3, 4].map((f) => row(f, 1, 0)).concat([row(4, 2, 100)]);
    const res = [1, 2, 3].map((f) => row(f, 7, 0)).concat([row(4, 8, 0), row(4, 7, 100)]);
    const m = identityMetrics(gt, res);
    expect(m.pairs).to.deep.equal([[1, 7]]);
    expect(m).to.include({ idtp: 3, idfn: 2, idfp: 2 });
    expect(m.idf1).to.be.closeTo(6 / 10, 1e-12);
  });

  it('scores a perfect result 1 and an empty result 0', () => {
    const gt = [1, 2].flatMap((f) => [row(f, 1, 0), row(f, 2, 50)]);
    expect(identityMetrics(gt, gt)).to.include({ idf1: 1, idp: 1, idr: 1 });
    expect(identityMetrics(gt, [])).to.include({ idf1: 0, idtp: 0, idfn: 4, idfp: 0 });
  });
});
