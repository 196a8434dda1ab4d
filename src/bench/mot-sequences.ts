/**
 * The two MOTChallenge sequences the tracker is scored on, where the benchmark and the tests
 * find them: the ground truth in the shared data set beside the clone (not shipped: CC BY-NC-SA),
 * and our own pose detections of each, committed as MOT det files in test/fixtures/mot/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface MotSequence {
  name: string;
  /** Frames and frame size, from the sequence's seqinfo.ini. */
  frames: number;
  width: number;
  height: number;
  /** Ground truth in the shared data set, relative to its root. */
  gtPath: string;
  /** The video in the shared data set, relative to its root. */
  videoPath: string;
  /** Our detections, in test/fixtures/mot/, made by `maskwatch mot --det-out`. */
  detFixture: string;
}

export const MOT_SEQUENCES: readonly MotSequence[] = [
  {
    name: 'PETS09-S2L1',
    frames: 795,
    width: 768,
    height: 576,
    gtPath: 'videos/pets09-s2l1-vtest/gt/gt.txt',
    videoPath: 'videos/pets09-s2l1-vtest/vtest.avi',
    detFixture: 'pets09-s2l1.movenet-384.det.txt',
  },
  {
    name: 'TUD-Campus',
    frames: 71,
    width: 640,
    height: 480,
    gtPath: 'videos/tud-campus/gt/gt.txt',
    videoPath: 'videos/tud-campus/TUD-Campus.mp4',
    detFixture: 'tud-campus.movenet-384.det.txt',
  },
];

/** The folder holding package.json, found upwards from this file (src/ or dist/src/). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** The shared data set: $MASKWATCH_DATA, else ../shared/data beside the clone; undefined if absent. */
export function sharedDataDir(): string | undefined {
  const dir = process.env.MASKWATCH_DATA ?? join(repoRoot(), '..', 'shared', 'data');
  return existsSync(dir) ? dir : undefined;
}

export function detFixturePath(sequence: MotSequence): string {
  return join(repoRoot(), 'test', 'fixtures', 'mot', sequence.detFixture);
}
