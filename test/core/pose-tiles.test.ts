import { expect } from 'chai';
import {
  DEFAULT_TILE_OVERLAP,
  mergeTilePoses,
  overlapOfSmaller,
  poseFromTile,
  tileRegions,
} from '../../src/core/pose-tiles';
import type { Pose } from '../../src/core/types';

const pose = (x1: number, x2: number, score: number): Pose => ({
  keypoints: [{ name: 'nose', x: (x1 + x2) / 2, y: 10, score }],
  score,
  box: { x1, y1: 0, x2, y2: 100 },
});

describe('pose-tiles', () => {
  it('covers a 1920 px wide frame with three tiles that overlap by a fifth', () => {
    const tiles = tileRegions({ width: 1920, height: 1080 }, 3);
    // Width w with 3w − 2 · 0.2w = 1920: w = 739 (rounded up), starts 590.5 px apart.
    expect(tiles.map((t) => t.left)).to.deep.equal([0, 591, 1181]);
    expect(tiles.map((t) => t.width)).to.deep.equal([739, 739, 739]);
    expect(tiles[2]!.left + tiles[2]!.width).to.be.at.least(1920);
    const shared = tiles[0]!.left + tiles[0]!.width - tiles[1]!.left;
    expect(shared / tiles[0]!.width).to.be.closeTo(DEFAULT_TILE_OVERLAP, 0.01);
    expect(tiles.every((t) => t.top === 0 && t.height === 1080)).to.equal(true);
  });

  it('makes one tile of the whole frame', () => {
    expect(tileRegions({ width: 640, height: 360 }, 1)).to.deep.equal([
      { left: 0, top: 0, width: 640, height: 360 },
    ]);
  });

  it('rejects a tile count outside 1–4, naming the rule and the value', () => {
    expect(() => tileRegions({ width: 640, height: 360 }, 5)).to.throw(
      RangeError,
      'tiles must be an integer between 1 and 4, got 5',
    );
  });

  it('moves a tile pose into frame pixels', () => {
    const moved = poseFromTile(pose(10, 30, 0.5), { left: 600, top: 0, width: 800, height: 100 });
    expect(moved.box).to.deep.equal({ x1: 610, y1: 0, x2: 630, y2: 100 });
    expect(moved.keypoints[0]!.x).to.equal(620);
  });

  it('keeps one pose for a person seen whole in one tile and cut in the next', () => {
    const whole = pose(100, 140, 0.6);
    const cut = pose(120, 140, 0.3); // the right half of the same person
    const other = pose(300, 340, 0.4);
    expect(overlapOfSmaller(whole.box, cut.box)).to.equal(1);
    expect(mergeTilePoses([cut, other, whole])).to.deep.equal([whole, other]);
  });
});
