import { expect } from 'chai';
import { consideredGroundTruth, formatMot, parseMot, rowsByFrame } from '../../src/core/mot-format';

describe('MOT format', () => {
  it('reads MOT15 lines, converting left/top/width/height to corners', () => {
    const rows = parseMot(
      '1,9,499,158,31.03,75.17,1,-4.15,-7.35,0\n\n# note\n2, -1, 10, 20, 5, 6, 0.4\n',
    );
    expect(rows).to.deep.equal([
      { frame: 1, id: 9, box: { x1: 499, y1: 158, x2: 499 + 31.03, y2: 158 + 75.17 }, score: 1 },
      { frame: 2, id: -1, box: { x1: 10, y1: 20, x2: 15, y2: 26 }, score: 0.4 },
    ]);
  });

  it('writes lines that read back to the same rows', () => {
    const rows = parseMot('3,2,10.5,20.25,30,40,1,-1,-1,-1\n1,-1,0,0,1,2,0.9,-1,-1,-1\n');
    const text = formatMot(rows);
    expect(text).to.equal(
      '3,2,10.50,20.25,30.00,40.00,1,-1,-1,-1\n1,-1,0.00,0.00,1.00,2.00,0.9,-1,-1,-1\n',
    );
    expect(parseMot(text)).to.deep.equal(rows);
  });

  it('names the source, line, column and value of a bad line', () => {
    expect(() => parseMot('1,1,0,0,10,10,1\n2,1,0,x,10,10,1', 'det.txt')).to.throw(
      TypeError,
      'det.txt:2: bb_top must be a finite number, got "x"',
    );
    expect(() => parseMot('1,1,0,0,10', 'det.txt')).to.throw(
      RangeError,
      'det.txt:1: a MOT line needs at least 7',
    );
    expect(() => parseMot('0,1,0,0,10,10,1')).to.throw(
      RangeError,
      'frame must be an integer ≥ 1, got 0',
    );
    expect(() => parseMot('1,1.5,0,0,10,10,1')).to.throw(
      RangeError,
      'id must be an integer ≥ -1, got 1.5',
    );
    expect(() => parseMot('1,1,NaN,0,10,10,1')).to.throw(
      TypeError,
      'bb_left must be a finite number',
    );
  });

  it('groups rows by frame in ascending order and drops ground truth marked not to consider', () => {
    const rows = parseMot('2,1,0,0,1,1,1\n1,1,0,0,1,1,1\n2,2,0,0,1,1,0\n');
    expect([...rowsByFrame(rows).keys()]).to.deep.equal([1, 2]);
    expect(consideredGroundTruth(rows).map((r) => [r.frame, r.id])).to.deep.equal([
      [2, 1],
      [1, 1],
    ]);
  });
});
