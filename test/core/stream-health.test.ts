import { expect } from 'chai';
import { StreamHealth } from '../../src/core/stream-health';

const backoff = { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0 };

describe('stream-health', () => {
  it('goes live at the first frame without reporting an outage', () => {
    const health = new StreamHealth('cam', { backoff, maxAttempts: 0 }, 0);
    expect(health.state).to.equal('connecting');
    expect(health.frame(1500)).to.equal(undefined);
    expect(health.state).to.equal('live');
  });

  it('reports one outage from the last frame to the first frame back, with its restarts', () => {
    const health = new StreamHealth('cam', { backoff, maxAttempts: 0 }, 0);
    health.frame(1000);
    health.frame(2000);
    const delays = [12_000, 15_000, 20_000].map((t) => {
      const decision = health.failure(t, 'no frame for 10 s');
      return decision?.action === 'retry' ? [decision.attempt, decision.delayMs] : decision;
    });
    expect(delays).to.deep.equal([
      [1, 1000],
      [2, 2000],
      [3, 4000],
    ]);
    expect(health.state).to.equal('reconnecting');
    expect(health.frame(24_500)).to.deep.equal({
      event: 'outage',
      source: 'cam',
      startMs: 2000,
      endMs: 24_500,
      durationMs: 22_500,
      restarts: 3,
      resumed: true,
      reason: 'no frame for 10 s',
    });
    expect([health.state, health.attempt, health.restarts]).to.deep.equal(['live', 0, 3]);
    expect(health.frame(25_000)).to.equal(undefined);
  });

  it('starts the outage at the start of the run when no frame ever came', () => {
    const health = new StreamHealth('cam', { backoff, maxAttempts: 0 }, 500);
    health.failure(3000, 'connection refused');
    expect(health.frame(9000)?.startMs).to.equal(500);
  });

  it('gives up at once on a fatal failure, with a final report of the open outage', () => {
    const health = new StreamHealth('cam', { backoff, maxAttempts: 0 }, 0);
    const decision = health.failure(400, 'authentication failed (401 Unauthorized)', true);
    expect(decision?.action).to.equal('give-up');
    expect(decision?.action === 'give-up' && decision.outage).to.include({
      startMs: 0,
      endMs: 400,
      resumed: false,
      restarts: 0,
    });
    expect(health.state).to.equal('failed');
    expect(health.failure(500, 'again')).to.equal(undefined);
    expect(health.frame(600)).to.equal(undefined);
  });

  it('gives up after maxAttempts restarts without a frame', () => {
    const health = new StreamHealth('cam', { backoff, maxAttempts: 2 }, 0);
    health.frame(100);
    const actions = [1000, 2000, 3000].map((t) => health.failure(t, 'connection refused')?.action);
    expect(actions).to.deep.equal(['retry', 'retry', 'give-up']);
    expect(health.restarts).to.equal(2);
  });

  it('closes an open outage when stopped, as not resumed', () => {
    const health = new StreamHealth('cam', { backoff, maxAttempts: 0 }, 0);
    health.frame(100);
    health.failure(5000, 'connection reset');
    expect(health.stop(7000)).to.deep.include({ startMs: 100, endMs: 7000, resumed: false });
    expect(health.stop(8000)).to.equal(undefined);
  });
});
