import { expect } from 'chai';
import { clipBox, iou, xywhToXyxy, xyxyToXywh } from '../../src/core/box';

describe('box', () => {
  it('gives IoU 1 for identical boxes and 0 for disjoint ones', () => {
    const a = { x1: 0, y1: 0, x2: 10, y2: 10 };
    expect(iou(a, a)).to.equal(1);
    expect(iou(a, { x1: 20, y1: 20, x2: 30, y2: 30 })).to.equal(0);
  });

  it('gives IoU 1/7 for two 10×10 boxes that overlap by a quarter', () => {
    const a = { x1: 0, y1: 0, x2: 10, y2: 10 };
    const b = { x1: 5, y1: 5, x2: 15, y2: 15 };
    expect(iou(a, b)).to.be.closeTo(25 / 175, 1e-12);
  });

  it('converts between corner and size layouts both ways', () => {
    const xywh = { x: 3, y: 4, width: 5, height: 6 };
    expect(xywhToXyxy(xywh)).to.deep.equal({ x1: 3, y1: 4, x2: 8, y2: 10 });
    expect(xyxyToXywh(xywhToXyxy(xywh))).to.deep.equal(xywh);
  });

  it('clips a box to the frame', () => {
    expect(clipBox({ x1: -5, y1: 2, x2: 700, y2: 500 }, 640, 360)).to.deep.equal({
      x1: 0,
      y1: 2,
      x2: 640,
      y2: 360,
    });
  });
});
