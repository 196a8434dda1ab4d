import { expect } from 'chai';
import { AckWindow, RealtimeSchedule, frameDueMs } from '../../src/core/frame-pacer';

describe('frame-pacer', () => {
  describe('frameDueMs', () => {
    it('puts frame i of a 30 fps stream i × 33.3 ms after the start', () => {
      expect(frameDueMs(1000, 0, 30)).to.equal(1000);
      expect(frameDueMs(1000, 3, 30)).to.be.closeTo(1100, 1e-9);
      expect(frameDueMs(0, 15, 15)).to.be.closeTo(1000, 1e-9);
    });
  });

  describe('RealtimeSchedule', () => {
    it('waits until each frame is due at media speed', () => {
      const schedule = new RealtimeSchedule(10);
      schedule.start(5000);
      expect(schedule.delayMs(0, 5000)).to.equal(0);
      expect(schedule.delayMs(1, 5000)).to.be.closeTo(100, 1e-9);
      expect(schedule.delayMs(2, 5150)).to.be.closeTo(50, 1e-9);
    });

    it('sends a slightly late frame at once and keeps the schedule', () => {
      const schedule = new RealtimeSchedule(10);
      schedule.start(0);
      expect(schedule.delayMs(1, 150)).to.equal(0);
      expect(schedule.reanchors).to.equal(0);
      expect(schedule.delayMs(2, 150)).to.be.closeTo(50, 1e-9);
    });

    it('moves the schedule after a stall instead of bursting the backlog', () => {
      const schedule = new RealtimeSchedule(10);
      schedule.start(0);
      // Frame 3 was due at 300 ms; at 1000 ms it is 700 ms late, far beyond one frame.
      expect(schedule.delayMs(3, 1000)).to.equal(0);
      expect(schedule.reanchors).to.equal(1);
      expect(schedule.delayMs(4, 1000)).to.be.closeTo(100, 1e-9);
    });

    it('starts itself at the first frame when start() was not called', () => {
      const schedule = new RealtimeSchedule(25);
      expect(schedule.delayMs(7, 200)).to.equal(0);
      expect(schedule.delayMs(8, 200)).to.be.closeTo(40, 1e-9);
    });

    it('rejects a frame rate that is not positive', () => {
      expect(() => new RealtimeSchedule(0)).to.throw(RangeError, 'fps must be > 0, got 0');
    });
  });

  describe('AckWindow', () => {
    it('lets maxInFlight frames out, then one more per ack', () => {
      const window = new AckWindow(2, 10_000);
      expect(window.canSend(0)).to.equal(true);
      window.sent(0);
      expect(window.canSend(1)).to.equal(true);
      window.sent(1);
      expect(window.canSend(2)).to.equal(false);
      expect(window.ack()).to.equal(true);
      expect(window.inFlight).to.equal(1);
      expect(window.canSend(3)).to.equal(true);
    });

    it('ignores a stray ack when nothing is in flight', () => {
      const window = new AckWindow(1, 1000);
      expect(window.ack()).to.equal(false);
      window.sent(0);
      expect(window.canSend(0)).to.equal(false);
    });

    it('frees the slot of a frame not acknowledged within the timeout', () => {
      const window = new AckWindow(1, 1000);
      window.sent(500);
      expect(window.nextTimeoutMs()).to.equal(1500);
      expect(window.canSend(1499)).to.equal(false);
      expect(window.canSend(1500)).to.equal(true);
      expect(window.timeouts).to.equal(1);
      expect(window.nextTimeoutMs()).to.equal(undefined);
    });

    it('retires expired frames oldest first and counts them', () => {
      const window = new AckWindow(3, 100);
      window.sent(0);
      window.sent(50);
      window.sent(120);
      expect(window.expire(160)).to.equal(2);
      expect(window.inFlight).to.equal(1);
      expect(window.nextTimeoutMs()).to.equal(220);
    });

    it('rejects a window of zero frames', () => {
      expect(() => new AckWindow(0, 1000)).to.throw(
        RangeError,
        'maxInFlight must be an integer ≥ 1, got 0',
      );
    });
  });
});
