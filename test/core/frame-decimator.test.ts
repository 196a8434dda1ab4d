import { expect } from 'chai';
import { FrameDecimator } from '../../src/core/frame-decimator';

/** Indices of the frames of a `sourceFps` stream kept at `targetFps`. */
function kept(sourceFps: number, targetFps: number, frames: number): number[] {
  const decimator = new FrameDecimator(targetFps);
  const out: number[] = [];
  for (let i = 0; i < frames; i += 1) if (decimator.keep((i * 1000) / sourceFps)) out.push(i);
  return out;
}

describe('frame-decimator', () => {
  it('keeps every third frame from 30 fps to 10 fps, without drift', () => {
    expect(kept(30, 10, 300)).to.deep.equal(Array.from({ length: 100 }, (_, k) => 3 * k));
  });

  it('keeps 12 of 25 frames per second for 12 fps', () => {
    expect(kept(25, 12, 250)).to.have.length(120);
  });

  it('keeps every frame when the target is 0 or above the source rate', () => {
    expect(kept(10, 0, 20)).to.have.length(20);
    expect(kept(10, 30, 20)).to.have.length(20);
  });

  it('keeps the first frame after a gap and restarts the slots there', () => {
    const decimator = new FrameDecimator(2);
    expect([0, 100, 500].map((t) => decimator.keep(t))).to.deep.equal([true, false, true]);
    expect([20_000, 20_100, 20_500].map((t) => decimator.keep(t))).to.deep.equal([
      true,
      false,
      true,
    ]);
    expect(decimator.dropped).to.equal(2);
  });

  it('rejects a negative frame rate', () => {
    expect(() => new FrameDecimator(-1)).to.throw(
      RangeError,
      'fps must be a finite number ≥ 0, got -1',
    );
  });
});
