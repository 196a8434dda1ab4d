import { expect } from 'chai';
import {
  fitLetterbox,
  frameToInput,
  inputToFrame,
  networkSizeFor,
  roundToStride,
} from '../../src/core/letterbox';

const TOL = 1e-9;

describe('letterbox', () => {
  it('rounds a requested long side to the nearest multiple of 32', () => {
    expect(roundToStride(256)).to.equal(256);
    expect(roundToStride(300)).to.equal(288);
    expect(roundToStride(10)).to.equal(32);
  });

  it('keeps the aspect of a 4:3 PETS09 frame and rounds the short side up to 32', () => {
    expect(networkSizeFor({ width: 768, height: 576 }, 384)).to.deep.equal({
      width: 384,
      height: 288,
    });
    expect(networkSizeFor({ width: 768, height: 576 }, 256)).to.deep.equal({
      width: 256,
      height: 192,
    });
  });

  it('gives a 16:9 frame a landscape input and a portrait frame a portrait one', () => {
    // 640 × 9/16 = 360 → next multiple of 32 is 384.
    expect(networkSizeFor({ width: 1920, height: 1080 }, 640)).to.deep.equal({
      width: 640,
      height: 384,
    });
    expect(networkSizeFor({ width: 1080, height: 1920 }, 256)).to.deep.equal({
      width: 160,
      height: 256,
    });
  });

  it('rejects a non-positive long side, naming it', () => {
    expect(() => networkSizeFor({ width: 10, height: 10 }, 0)).to.throw(RangeError, /longSide/);
    expect(() => fitLetterbox({ width: 0, height: 5 }, { width: 32, height: 32 })).to.throw(
      /frame\.width/,
    );
  });

  it('centres a 16:9 frame in its input with padding above and below only', () => {
    const box = fitLetterbox({ width: 1920, height: 1080 }, { width: 640, height: 384 });
    expect(box.resized).to.deep.equal({ width: 640, height: 360 });
    expect(box.padLeft).to.equal(0);
    expect(box.padTop).to.equal(12);
  });

  it('centres a portrait frame with padding left and right only', () => {
    const box = fitLetterbox({ width: 300, height: 600 }, { width: 256, height: 256 });
    expect(box.resized).to.deep.equal({ width: 128, height: 256 });
    expect(box.padLeft).to.equal(64);
    expect(box.padTop).to.equal(0);
  });

  it('maps frame corners onto the edges of the scaled frame inside the input', () => {
    const box = fitLetterbox({ width: 1920, height: 1080 }, { width: 640, height: 384 });
    expect(frameToInput(box, 0, 0)).to.deep.equal({ x: 0, y: 12 });
    expect(frameToInput(box, 1920, 1080)).to.deep.equal({ x: 640, y: 372 });
  });

  it('inverts exactly: input → frame → input returns the same point', () => {
    const box = fitLetterbox({ width: 768, height: 576 }, { width: 384, height: 320 });
    for (const [x, y] of [
      [0, 0],
      [123.4, 56.7],
      [767, 575],
    ]) {
      const input = frameToInput(box, x, y);
      const back = inputToFrame(box, input.x, input.y);
      expect(back.x).to.be.closeTo(x, TOL);
      expect(back.y).to.be.closeTo(y, TOL);
    }
  });

  it('maps a point in the padding to outside the frame', () => {
    const box = fitLetterbox({ width: 1920, height: 1080 }, { width: 640, height: 384 });
    expect(inputToFrame(box, 320, 5).y).to.be.below(0);
    expect(inputToFrame(box, 320, 380).y).to.be.above(1080);
  });
});
