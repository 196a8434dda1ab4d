import { expect } from 'chai';
import { backoffDelayMs, checkBackoff, DEFAULT_BACKOFF } from '../../src/core/backoff';

describe('backoff', () => {
  const options = { initialMs: 500, maxMs: 4000, factor: 2, jitter: 0.2 };

  it('doubles the delay per attempt up to the ceiling', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, options));
    expect(delays).to.deep.equal([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('takes at most the jitter fraction off the delay', () => {
    expect(backoffDelayMs(2, options, 0)).to.equal(1000);
    expect(backoffDelayMs(2, options, 0.5)).to.be.closeTo(900, 1e-9);
    expect(backoffDelayMs(2, options, 0.999)).to.be.closeTo(800.2, 1e-9);
  });

  it('stays finite for a camera down for days', () => {
    expect(backoffDelayMs(100_000, DEFAULT_BACKOFF)).to.equal(DEFAULT_BACKOFF.maxMs);
  });

  it('names the field and the value it rejects', () => {
    expect(() => backoffDelayMs(0, options)).to.throw(
      RangeError,
      'attempt must be an integer ≥ 1, got 0',
    );
    expect(() => checkBackoff({ ...options, maxMs: 100 })).to.throw(
      'maxMs must be ≥ initialMs (500), got 100',
    );
    expect(() => checkBackoff({ ...options, jitter: 1 })).to.throw(
      'jitter must be in [0, 1), got 1',
    );
  });
});
