import { expect } from 'chai';
import { fitLetterbox } from '../../src/core/letterbox';
import {
  decodeOpenPose,
  groupOpenPose,
  type Grouping,
  type GroupedPerson,
} from '../../src/core/openpose-decode';
import { OPENPOSE_LAYOUTS, type OpenPoseLayout } from '../../src/core/openpose-layouts';
import {
  renderOpenPose,
  standingPerson,
  visibleLimbs,
  type SyntheticPerson,
} from './openpose-synthetic';

/**
 * How far (cells) a recovered part may lie from where it was drawn: half a cell, since two
 * peaks of one part two cells apart pull each other's sub-cell estimate by about a third.
 */
const PART_TOLERANCE = 0.5;

const coco = OPENPOSE_LAYOUTS.coco18;
const body25 = OPENPOSE_LAYOUTS.body25;

/** The grouped person that holds the most of `truth`'s parts at their drawn places. */
function counterpart(truth: SyntheticPerson, grouping: Grouping): GroupedPerson | undefined {
  const hits = (person: GroupedPerson): number =>
    truth.parts.filter((p, part) => {
      const i = person.parts[part]!;
      if (p === null || i < 0) return false;
      const peak = grouping.peaks[i]!;
      return Math.hypot(peak.x - p.x, peak.y - p.y) <= PART_TOLERANCE;
    }).length;
  return [...grouping.people].sort((a, b) => hits(b) - hits(a))[0];
}

/** Asserts that every drawn person comes back whole: its visible parts and all visible limbs. */
function expectRecovered(
  people: SyntheticPerson[],
  layout: OpenPoseLayout,
  size: { gridWidth: number; gridHeight: number },
): Grouping {
  const grouping = groupOpenPose(renderOpenPose(people, layout, size), layout);
  expect(grouping.people, 'people found').to.have.length(people.length);
  const used = new Set<GroupedPerson>();
  people.forEach((truth, n) => {
    const found = counterpart(truth, grouping);
    expect(found, `person ${n}`).to.not.equal(undefined);
    expect(used.has(found!), `person ${n} matched twice`).to.equal(false);
    used.add(found!);
    truth.parts.forEach((p, part) => {
      const index = found!.parts[part]!;
      if (p === null) {
        expect(index, `${layout.parts[part]} of person ${n} is hidden`).to.equal(-1);
        return;
      }
      expect(index, `${layout.parts[part]} of person ${n}`).to.be.at.least(0);
      const peak = grouping.peaks[index]!;
      expect(Math.hypot(peak.x - p.x, peak.y - p.y)).to.be.at.most(PART_TOLERANCE);
    });
    expect(found!.limbs, `limbs of person ${n}`).to.include.members(visibleLimbs(truth, layout));
  });
  return grouping;
}

describe('openpose-decode', () => {
  it('recovers two separate COCO-18 people with all 19 limbs each', () => {
    const people = [standingPerson(coco, 12, 4), standingPerson(coco, 36, 6)];
    const grouping = expectRecovered(people, coco, { gridWidth: 48, gridHeight: 36 });
    for (const person of grouping.people) expect(person.limbs).to.have.length(19);
  });

  it('keeps two people apart whose left forearms cross', () => {
    const a = standingPerson(coco, 14, 4);
    const b = standingPerson(coco, 34, 4);
    const leftElbow = coco.parts.indexOf('left_elbow');
    const leftWrist = coco.parts.indexOf('left_wrist');
    // a reaches right and down, b reaches left and down: the two forearms cross at (24, 12.5).
    a.parts[leftElbow] = { x: 18, y: 9 };
    a.parts[leftWrist] = { x: 30, y: 16 };
    b.parts[leftElbow] = { x: 30, y: 9 };
    b.parts[leftWrist] = { x: 18, y: 16 };
    expectRecovered([a, b], coco, { gridWidth: 48, gridHeight: 34 });
  });

  it('separates two people standing shoulder to shoulder, limbs almost touching', () => {
    // 7 cells between centres: a's left shoulder and b's right shoulder are one cell apart.
    const people = [standingPerson(coco, 16, 4), standingPerson(coco, 23, 5)];
    expectRecovered(people, coco, { gridWidth: 40, gridHeight: 34 });
  });

  it('separates two overlapping people, one just behind the other', () => {
    // Same-type limbs run parallel two cells apart, so only the matching can tell them apart.
    const people = [standingPerson(coco, 18, 4), standingPerson(coco, 20, 4.5)];
    expectRecovered(people, coco, { gridWidth: 40, gridHeight: 34 });
  });

  it('recovers a person whose legs are hidden with the limbs that remain', () => {
    const legs = ['right_knee', 'right_ankle', 'left_knee', 'left_ankle'];
    const people = [standingPerson(coco, 12, 4, legs), standingPerson(coco, 34, 4)];
    const grouping = expectRecovered(people, coco, { gridWidth: 48, gridHeight: 34 });
    const limbCounts = grouping.people.map((p) => p.limbs.length).sort((x, y) => x - y);
    expect(limbCounts).to.deep.equal([15, 19]);
  });

  it('recovers three BODY_25 people with their feet', () => {
    const people = [
      standingPerson(body25, 10, 3),
      standingPerson(body25, 26, 4),
      standingPerson(body25, 42, 2),
    ];
    const grouping = expectRecovered(people, body25, { gridWidth: 52, gridHeight: 34 });
    for (const person of grouping.people) expect(person.limbs).to.have.length(26);
  });

  it('finds nobody in empty maps', () => {
    const maps = renderOpenPose([], coco, { gridWidth: 20, gridHeight: 20 });
    expect(groupOpenPose(maps, coco).people).to.deep.equal([]);
  });

  it('rejects maps of the wrong size, naming the layout and the sizes', () => {
    const maps = renderOpenPose([], coco, { gridWidth: 20, gridHeight: 20 });
    expect(() => groupOpenPose(maps, body25)).to.throw(
      RangeError,
      /body25 heatmaps must hold 26 planes of 20×20, got 7600 values/,
    );
  });

  it('maps parts onto COCO-17 keypoints in frame pixels, dropping the neck', () => {
    const stride = 8;
    const grid = { gridWidth: 24, gridHeight: 32 };
    const maps = renderOpenPose([standingPerson(coco, 12, 3)], coco, grid);
    // A 96×128 frame letterboxed 1:1 into a 192×256 input (stride 8 → a 24×32 grid).
    const letterbox = fitLetterbox({ width: 96, height: 128 }, { width: 192, height: 256 });
    const [pose] = decodeOpenPose(maps, coco, stride, letterbox);
    expect(pose!.keypoints).to.have.length(17);
    expect(pose!.keypoints.map((k) => k.name)).to.not.include('neck');
    const nose = pose!.keypoints.find((k) => k.name === 'nose')!;
    // Drawn at grid (12, 5): input (96, 40), frame (48, 20).
    expect(nose.x).to.be.closeTo(48, 0.5 * (stride / 2));
    expect(nose.y).to.be.closeTo(20, 0.5 * (stride / 2));
    const leftAnkle = pose!.keypoints.find((k) => k.name === 'left_ankle')!;
    expect(pose!.box.y2).to.be.above(leftAnkle.y);
    expect(pose!.box.y1).to.be.below(nose.y);
  });
});
