import { expect } from 'chai';
import { MultiCameraTracker } from '../../src/core/multi-camera-tracker';
import type { Detection } from '../../src/core/tracker';

const person = (x: number): Detection => ({
  box: { x1: x, y1: 100, x2: x + 40, y2: 200 },
  score: 0.9,
});

describe('MultiCameraTracker', () => {
  it('tracks each camera on its own: ids and frame indices do not interfere', () => {
    const cams = new MultiCameraTracker({ minHits: 1 });
    expect(cams.update('door', [person(10)], 0).map((t) => t.id)).to.deep.equal([1]);
    expect(cams.update('hall', [person(10), person(300)], 0).map((t) => t.id)).to.deep.equal([
      1, 2,
    ]);
    expect(cams.update('door', [person(12)], 1).map((t) => t.id)).to.deep.equal([1]);
    expect(cams.nextFrameIndex('door')).to.equal(2);
    expect(cams.nextFrameIndex('hall')).to.equal(1);
    expect(cams.nextFrameIndex('garage')).to.equal(0);
    expect(cams.keys()).to.deep.equal(['door', 'hall']);
  });

  it('resets one camera, keeping the others, and goes on counting its ids', () => {
    const cams = new MultiCameraTracker({ minHits: 1 });
    cams.update('door', [person(10)], 40);
    cams.update('hall', [person(10)], 40);
    cams.reset('door');
    expect(cams.keys()).to.deep.equal(['hall']);
    // The door's frame count starts again; its next person gets id 2, never 1 again.
    expect(cams.nextFrameIndex('door')).to.equal(0);
    expect(cams.update('door', [person(10)], 0).map((t) => t.id)).to.deep.equal([2]);
    expect(cams.update('hall', [person(11)], 41).map((t) => [t.id, t.hits])).to.deep.equal([
      [1, 2],
    ]);
  });

  it('resets every camera when no key is given', () => {
    const cams = new MultiCameraTracker({ minHits: 1 });
    cams.update('door', [person(10)], 0);
    cams.update('hall', [person(10), person(300)], 0);
    cams.reset();
    expect(cams.keys()).to.deep.equal([]);
    expect(cams.update('hall', [person(10)], 0).map((t) => t.id)).to.deep.equal([3]);
  });

  it('takes frame 0 after any frame as the source starting again, and only that', () => {
    const cams = new MultiCameraTracker({ minHits: 1 });
    expect(cams.isRestart('door', 0)).to.equal(false);
    cams.update('door', [person(10)], 0);
    // A source stopped and started again right after its first frame.
    expect(cams.isRestart('door', 0)).to.equal(true);
    cams.update('door', [person(12)], 84);
    expect(cams.isRestart('door', 0)).to.equal(true);
    expect(cams.isRestart('door', 3)).to.equal(false);
    expect(cams.isRestart('hall', 0)).to.equal(false);
    expect(() => cams.update('door', [person(12)], 3)).to.throw(
      RangeError,
      'frameIndex must increase',
    );
  });

  it('rejects bad options when it is built, not at the first frame', () => {
    expect(() => new MultiCameraTracker({ maxAgeFrames: 0 })).to.throw(RangeError, 'maxAgeFrames');
  });
});
