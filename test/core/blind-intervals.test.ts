import { expect } from 'chai';
import { BlindIntervals } from '../../src/core/blind-intervals';

describe('blind-intervals', () => {
  it('reports blind and observed time of a window, clipping intervals at its edges', () => {
    const b = new BlindIntervals();
    b.add(100, 200);
    b.add(900, 1200);
    expect(b.coverage(0, 1000)).to.deep.equal({ blindMs: 200, observedMs: 800, outages: 2 });
    expect(b.coverage(300, 800)).to.deep.equal({ blindMs: 0, observedMs: 500, outages: 0 });
  });

  it('merges overlapping reports so time is not subtracted twice', () => {
    const b = new BlindIntervals();
    b.add(100, 300);
    b.add(200, 400);
    expect(b.list()).to.deep.equal([{ startMs: 100, endMs: 400 }]);
    expect(b.coverage(0, 1000).blindMs).to.equal(300);
  });

  it('ignores empty or backwards intervals and forgets old ones', () => {
    const b = new BlindIntervals();
    expect(b.add(500, 500)).to.equal(false);
    expect(b.add(500, 400)).to.equal(false);
    expect(b.add(Number.NaN, 400)).to.equal(false);
    b.add(0, 10);
    b.add(50, 60);
    b.prune(20);
    expect(b.list()).to.deep.equal([{ startMs: 50, endMs: 60 }]);
  });
});
