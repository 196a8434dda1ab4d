import { expect } from 'chai';
import { MIN_STAMP_STEP_MS, MonotonicStamp } from '../../src/core/monotonic-stamp';

describe('monotonic-stamp', () => {
  it('keeps the time when it moves on, and steps past a repeated or earlier time', () => {
    const stamps = new MonotonicStamp();
    const now = 1.8e12;
    const out = [now, now, now - 5, now + 10].map((t) => stamps.next(t));
    expect(out[0]).to.equal(now);
    expect(out[1]).to.be.greaterThan(out[0]);
    expect(out[2]).to.be.greaterThan(out[1]);
    expect(out[2] - now).to.be.closeTo(2 * MIN_STAMP_STEP_MS, 1e-3);
    expect(out[3]).to.equal(now + 10);
  });
});
