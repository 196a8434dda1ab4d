import { expect } from 'chai';
import { AlertRule } from '../../src/core/alert-rule';

const MIN = 60_000;
const rule = () =>
  new AlertRule({
    aboveFraction: 0.3,
    minPeople: 5,
    cooldownMs: 10 * MIN,
    hysteresisFraction: 0.1,
  });

describe('alert-rule', () => {
  it('raises once when the unmasked fraction passes the threshold, then stays quiet', () => {
    const r = rule();
    expect(r.evaluate({ decided: 10, unmasked: 3 }, 0)).to.equal(undefined); // 30 %: not above
    expect(r.evaluate({ decided: 10, unmasked: 4 }, MIN)).to.equal('alert');
    expect(r.evaluate({ decided: 10, unmasked: 5 }, 2 * MIN)).to.equal(undefined);
    expect(r.snapshot()).to.deep.equal({ active: true, lastAlertMs: MIN });
  });

  it('needs the minimum number of people with a verdict', () => {
    const r = rule();
    expect(r.evaluate({ decided: 4, unmasked: 4 }, 0)).to.equal(undefined);
    expect(r.evaluate({ decided: 5, unmasked: 4 }, 0)).to.equal('alert');
  });

  it('clears only below the threshold minus the hysteresis', () => {
    const r = rule();
    r.evaluate({ decided: 10, unmasked: 4 }, 0);
    expect(r.evaluate({ decided: 10, unmasked: 3 }, MIN)).to.equal(undefined); // 30 % > 20 %
    expect(r.evaluate({ decided: 10, unmasked: 2 }, 2 * MIN)).to.equal('clear'); // 20 %
  });

  it('does not raise again inside the cooldown, and does after it', () => {
    const r = rule();
    expect(r.evaluate({ decided: 10, unmasked: 5 }, 0)).to.equal('alert');
    expect(r.evaluate({ decided: 10, unmasked: 0 }, MIN)).to.equal('clear');
    expect(r.evaluate({ decided: 10, unmasked: 5 }, 2 * MIN)).to.equal(undefined);
    expect(r.evaluate({ decided: 10, unmasked: 5 }, 10 * MIN - 1)).to.equal(undefined);
    expect(r.evaluate({ decided: 10, unmasked: 5 }, 10 * MIN)).to.equal('alert');
  });

  it('clears when the window empties, and resumes from a stored state', () => {
    const r = rule();
    r.evaluate({ decided: 10, unmasked: 5 }, 0);
    const resumed = new AlertRule(
      { aboveFraction: 0.3, minPeople: 5, cooldownMs: 10 * MIN, hysteresisFraction: 0.1 },
      r.snapshot(),
    );
    expect(resumed.evaluate({ decided: 10, unmasked: 5 }, MIN)).to.equal(undefined);
    expect(resumed.evaluate({ decided: 0, unmasked: 0 }, 2 * MIN)).to.equal('clear');
  });
});
