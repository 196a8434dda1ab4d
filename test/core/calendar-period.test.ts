import { expect } from 'chai';
import {
  checkTimeZone,
  localLabel,
  periodStartMs,
  zoneOffsetMs,
} from '../../src/core/calendar-period';

const HOUR = 3_600_000;

describe('calendar-period', () => {
  it('starts clock hours and UTC days where the calendar does', () => {
    const t = Date.UTC(2024, 2, 1, 14, 37, 12, 500);
    expect(periodStartMs(t, 60, 'UTC')).to.equal(Date.UTC(2024, 2, 1, 14));
    expect(periodStartMs(t, 1440, 'UTC')).to.equal(Date.UTC(2024, 2, 1));
    expect(periodStartMs(t, 15, 'UTC')).to.equal(Date.UTC(2024, 2, 1, 14, 30));
    expect(localLabel(t, 'UTC')).to.equal('2024-03-01T14:37');
  });

  it('starts the day at local midnight in a zone east of UTC', () => {
    // 23:30 UTC on 1 March is 00:30 on 2 March in Paris (UTC+1 in winter).
    const t = Date.UTC(2024, 2, 1, 23, 30);
    expect(zoneOffsetMs(t, 'Europe/Paris')).to.equal(HOUR);
    expect(periodStartMs(t, 1440, 'Europe/Paris')).to.equal(Date.UTC(2024, 2, 1, 23));
    expect(localLabel(periodStartMs(t, 60, 'Europe/Paris'), 'Europe/Paris')).to.equal(
      '2024-03-02T00:00',
    );
  });

  it('starts a 23-hour daylight-saving day at local midnight', () => {
    // Paris moves to UTC+2 at 01:00 UTC on 31 March 2024; that day began at 23:00 UTC on the 30th.
    const afternoon = Date.UTC(2024, 2, 31, 15);
    expect(zoneOffsetMs(afternoon, 'Europe/Paris')).to.equal(2 * HOUR);
    expect(periodStartMs(afternoon, 1440, 'Europe/Paris')).to.equal(Date.UTC(2024, 2, 30, 23));
  });

  it('names the field when a time zone is unknown', () => {
    expect(checkTimeZone('timeZone', 'UTC')).to.equal('UTC');
    expect(() => checkTimeZone('timeZone', 'Mars/Olympus')).to.throw(
      RangeError,
      'timeZone must be an IANA time zone such as "UTC", got "Mars/Olympus"',
    );
  });
});
