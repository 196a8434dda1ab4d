import { expect } from 'chai';
import { clearMot, fragmentsOf } from '../../src/core/clear-mot';
import type { MotRow } from '../../src/core/mot-format';

/** A 10 × 10 box at (x, y), or a box of the given size. */
function row(frame: number, id: number, x: number, y = 0, w = 10, h = 10): MotRow {
  return { frame, id, box: { x1: x, y1: y, x2: x + w, y2: y + h }, score: 1 };
}

const A = 0; // where truth 1 walks
const B = 100; // where truth 2 walks
const C = 300; // where nobody is

describe('clearMot', () => {
  it('counts a switch, a miss, a false positive and a fragment as worked out by hand', () => {
    const gt = [1, 2, 3, 4].flatMap((f) => [row(f, 1, A), row(f, 2, B)]);
    const res = [
      row(1, 10, A),
      row(2, 10, A),
      row(3, 11, A), // truth 1 continues under another id: one switch
      row(4, 11, A),
      row(1, 20, B),
      row(2, 20, B), // truth 2 is not tracked in frame 3: one miss, one fragment
      row(4, 20, B),
      row(2, 30, C), // nobody there: one false positive
    ];
    const m = clearMot(gt, res);
    expect(m).to.include({
      matches: 7,
      misses: 1,
      falsePositives: 1,
      idSwitches: 1,
      fragments: 1,
      gtBoxes: 8,
      resBoxes: 8,
      mostlyTracked: 1, // truth 1: 4 of 4 frames
      partiallyTracked: 1, // truth 2: 3 of 4 frames
      mostlyLost: 0,
    });
    expect(m.mota).to.be.closeTo(1 - 3 / 8, 1e-12);
    expect(m.precision).to.be.closeTo(7 / 8, 1e-12);
    expect(m.recall).to.be.closeTo(7 / 8, 1e-12);
    expect(m.motp).to.be.closeTo(1, 1e-12);
  });

  it('keeps the previous correspondence when a better-fitting box appears (no switch)', () => {
    const gt = [row(1, 1, 0), row(2, 1, 0)];
    // Frame 2: id 5 shifted by 1 px (IoU 90/110), id 6 exactly on the truth (IoU 1).
    const res = [row(1, 5, 0), row(2, 5, 1), row(2, 6, 0)];
    const m = clearMot(gt, res);
    expect(m).to.include({ matches: 2, idSwitches: 0, falsePositives: 1, misses: 0 });
    expect(m.motp).to.be.closeTo((1 + 90 / 110) / 2, 1e-12);
  });

  it('counts a switch against the last match, even across frames where the truth was missed', () => {
    const gt = [1, 2, 3].map((f) => row(f, 1, 0));
    const back = clearMot(gt, [row(1, 5, 0), row(3, 5, 0)]);
    expect(back).to.include({ idSwitches: 0, fragments: 1, misses: 1 });
    const other = clearMot(gt, [row(1, 5, 0), row(3, 7, 0)]);
    expect(other).to.include({ idSwitches: 1, fragments: 1, misses: 1 });
  });

  it('matches at IoU 0.5 exactly and not below', () => {
    const gt = [row(1, 1, 0)];
    expect(clearMot(gt, [row(1, 9, 0, 0, 10, 20)])).to.include({ matches: 1 }); // IoU 100/200
    expect(clearMot(gt, [row(1, 9, 0, 0, 10, 21)])).to.include({ matches: 0, misses: 1 });
  });

  it('assigns optimally where a greedy best-pair-first match would leave a truth unmatched', () => {
    // Box 7 fits truth 1 best (IoU 8/12) but is truth 2's only candidate (IoU 6/14); box 8 fits
    // truth 1 less well (IoU 7/13). Greedy takes 1–7 and misses truth 2; optimal takes 1–8, 2–7.
    const gt = [row(1, 1, 0), row(1, 2, 6)];
    const res = [row(1, 7, 2), row(1, 8, -3)];
    const m = clearMot(gt, res, 0.3);
    expect(m).to.include({ matches: 2, misses: 0, falsePositives: 0 });
    expect(m.motp).to.be.closeTo((7 / 13 + 6 / 14) / 2, 1e-12);
  });

  it('gives a negative MOTA when false positives outnumber the truth', () => {
    const m = clearMot([row(1, 1, A)], [row(1, 1, A), row(1, 2, B), row(1, 3, C)]);
    expect(m.mota).to.be.closeTo(1 - 2 / 1, 1e-12);
  });

  it('refuses an id given twice in one frame, naming it', () => {
    expect(() => clearMot([row(1, 1, A), row(1, 1, B)], [])).to.throw(RangeError, 'id 1 twice');
  });

  it('counts fragments only between the first and last tracked frame', () => {
    expect(fragmentsOf([false, true, false, false, true, false, true, false])).to.equal(2);
    expect(fragmentsOf([false, false])).to.equal(0);
    expect(fragmentsOf([true, true, true])).to.equal(0);
  });
});
