import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateMot } from '../../src/core/mot-evaluation';
import { type MotRow, parseMot } from '../../src/core/mot-format';
import { poseDetectionRows, trackSequence } from '../../src/core/track-sequence';
import type { Pose } from '../../src/core/types';
import {
  detFixturePath,
  MOT_SEQUENCES,
  repoRoot,
  sharedDataDir,
} from '../../src/bench/mot-sequences';

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'mot');
const read = (path: string): MotRow[] => parseMot(readFileSync(path, 'utf8'), path);

/**
 * Accuracy floors: the figures measured when the defaults were chosen (README "Tracking
 * quality"), less a small margin, so a change that costs identities fails here.
 */
const PETS_EXCERPT_MIN_IDF1 = 0.64;
const ACCEPTANCE = {
  'PETS09-S2L1': { minIdf1: 0.75, maxIds: 30 },
  'TUD-Campus': { minIdf1: 0.7, maxIds: 16 },
} as const;

describe('trackSequence', () => {
  it('gives every frame to the tracker and writes confirmed tracks as MOT rows', () => {
    // One person walking, detected in frames 1–5 and 9–10: frames 6–8 are predicted only.
    const box = (f: number) => ({ x1: 10 + 2 * f, y1: 20, x2: 50 + 2 * f, y2: 120 });
    const seen = [1, 2, 3, 4, 5, 9, 10];
    const dets = seen.map((frame) => ({ frame, id: -1, box: box(frame), score: 0.9 }));
    const result = trackSequence(dets, { frames: 12 });
    expect(result.rows.map((r) => [r.frame, r.id])).to.deep.equal(
      [3, 4, 5, 9, 10].map((f) => [f, 1]), // confirmed at the third hit
    );
    expect(result.rows[0].box).to.deep.equal(box(3)); // the matched detection's box
    const withLost = trackSequence(dets, {
      frames: 12,
      report: 'confirmed+lost',
      maxLostFrames: 2,
    });
    expect(withLost.rows.map((r) => r.frame)).to.deep.equal([3, 4, 5, 6, 7, 9, 10, 11, 12]);
    expect(withLost.rows.every((r) => r.id === 1)).to.equal(true);
  });

  it('skips and counts malformed detections without losing the good ones', () => {
    const good = [1, 2, 3, 4].map((frame) => ({
      frame,
      id: -1,
      box: { x1: 10, y1: 20, x2: 50, y2: 120 },
      score: 0.9,
    }));
    const bad = [{ frame: 2, id: -1, box: { x1: 10, y1: 20, x2: 10, y2: 120 }, score: 0.9 }];
    const clean = trackSequence(good);
    const dirty = trackSequence([...good, ...bad]);
    expect(dirty.skippedDetections).to.equal(1);
    expect(dirty.rows).to.deep.equal(clean.rows);
  });

  it('turns poses by frame into MOT detection rows', () => {
    const pose = (x: number): Pose => ({
      keypoints: [],
      score: 0.4,
      box: { x1: x, y1: 0, x2: x + 5, y2: 9 },
    });
    const rows = poseDetectionRows(
      new Map([
        [2, [pose(3)]],
        [1, [pose(1), pose(7)]],
      ]),
    );
    expect(rows.map((r) => [r.frame, r.id, r.box.x1, r.score])).to.deep.equal([
      [1, -1, 1, 0.4],
      [1, -1, 7, 0.4],
      [2, -1, 3, 0.4],
    ]);
  });

  it(`keeps IDF1 ≥ ${PETS_EXCERPT_MIN_IDF1} on frames 1–150 of PETS09-S2L1 with our detections`, () => {
    const gt = read(join(FIXTURES, 'pets09-s2l1.frames-1-150.gt.txt'));
    const dets = read(detFixturePath(MOT_SEQUENCES[0])).filter((r) => r.frame <= 150);
    const e = evaluateMot(gt, trackSequence(dets, { frames: 150 }).rows);
    expect(e.idf1).to.be.at.least(PETS_EXCERPT_MIN_IDF1);
    expect(e.resIds).to.be.at.most(2 * e.gtIds);
  });

  for (const sequence of MOT_SEQUENCES) {
    const goal = ACCEPTANCE[sequence.name as keyof typeof ACCEPTANCE];
    it(`reaches IDF1 ≥ ${goal.minIdf1} with at most ${goal.maxIds} ids on all of ${sequence.name}`, function () {
      const data = sharedDataDir();
      if (data === undefined) {
        console.log(
          `      skipped: ${sequence.name} ground truth needs the shared data set (../shared/data or $MASKWATCH_DATA)`,
        );
        this.skip();
      }
      const gt = read(join(data, sequence.gtPath));
      const result = trackSequence(read(detFixturePath(sequence)), { frames: sequence.frames });
      const e = evaluateMot(gt, result.rows);
      expect(e.idf1).to.be.at.least(goal.minIdf1);
      expect(e.resIds).to.be.at.most(goal.maxIds);
    });
  }
});
