/**
 * Our tracker against node-moving-things-tracker (OpenDataCam's tracker, MIT), side by side on
 * the same detections: PETS09-S2L1 and TUD-Campus ground-truth boxes with noise and dropouts,
 * and our own pose detections of both. Frames per second of the tracking alone (no detector, no
 * file reading), and IDF1 / MOTA of what each writes.
 *
 * `npm run bench -- tracker [--runs=N] [--seed=S]`. Needs the shared data set for the ground
 * truth ($MASKWATCH_DATA or ../shared/data); without it there is nothing to score, and it says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import seedrandom from 'seedrandom';
import { xyxyToXywh } from '../core/box';
import { noisyDetections } from '../core/detection-noise';
import { evaluateMot } from '../core/mot-evaluation';
import { type MotRow, parseMot, rowsByFrame } from '../core/mot-format';
import { trackSequence } from '../core/track-sequence';
import { loadAverage, markdownTable, summarizeTimes, type BenchModule } from './bench-kit';
import { detFixturePath, MOT_SEQUENCES, type MotSequence, sharedDataDir } from './mot-sequences';

const DEFAULT_RUNS = 20;
const DEFAULT_SEED = 'maskwatch';
/** Untimed runs first, so the JIT has compiled both trackers before the clock starts. */
const WARMUP_RUNS = 5;

/** The module-level API of node-moving-things-tracker's tracker.js (it keeps global state). */
interface MovingThingsTracker {
  reset(): void;
  setParams(params: Record<string, unknown>): void;
  updateTrackedItemsWithNewFrame(detections: MovingThing[], frame: number): void;
  getJSONOfTrackedItems(roundInt?: boolean): Array<MovingThing & { id: number; isZombie: boolean }>;
}

/** Its box layout: centre x, centre y, width, height, and a confidence in percent. */
interface MovingThing {
  x: number;
  y: number;
  w: number;
  h: number;
  confidence: number;
  name: string;
}

type Runner = (detections: readonly MotRow[], frames: number) => MotRow[];

interface Contender {
  name: string;
  run: Runner;
}

function contenders(): Contender[] {
  // Its package entry point is a CLI that reads argv on load; the tracker itself is tracker.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const theirs = require('node-moving-things-tracker/tracker') as MovingThingsTracker;
  return [
    { name: 'maskwatch', run: (dets, frames) => trackSequence(dets, { frames }).rows },
    {
      name: 'node-moving-things-tracker (as its MOT mode writes)',
      run: (dets, frames) => runMovingThings(theirs, dets, frames, true),
    },
    {
      name: 'node-moving-things-tracker (matched items only)',
      run: (dets, frames) => runMovingThings(theirs, dets, frames, false),
    },
  ];
}

/**
 * Their tracker with its defaults, fed every frame (an empty list too, so unmatched items count
 * down as in a live feed). `withZombies` keeps items predicted without a match, as its
 * `--mode motchallenge` output does.
 */
function runMovingThings(
  tracker: MovingThingsTracker,
  detections: readonly MotRow[],
  frames: number,
  withZombies: boolean,
): MotRow[] {
  tracker.reset();
  const byFrame = rowsByFrame(detections);
  const rows: MotRow[] = [];
  for (let frame = 1; frame <= frames; frame += 1) {
    const things = (byFrame.get(frame) ?? []).map((d): MovingThing => {
      const { x, y, width, height } = xyxyToXywh(d.box);
      return {
        x: x + width / 2,
        y: y + height / 2,
        w: width,
        h: height,
        confidence: d.score * 100,
        name: 'person',
      };
    });
    tracker.updateTrackedItemsWithNewFrame(things, frame);
    for (const item of tracker.getJSONOfTrackedItems(false)) {
      if (item.isZombie && !withZombies) continue;
      const box = {
        x1: item.x - item.w / 2,
        y1: item.y - item.h / 2,
        x2: item.x + item.w / 2,
        y2: item.y + item.h / 2,
      };
      rows.push({ frame, id: item.id + 1, box, score: 1 }); // its display ids start at 0
    }
  }
  return rows;
}

interface Input {
  sequence: MotSequence;
  label: string;
  detections: MotRow[];
  gt: MotRow[];
}

function inputs(dataDir: string, seed: string): Input[] {
  return MOT_SEQUENCES.flatMap((sequence) => {
    const gt = parseMot(readFileSync(join(dataDir, sequence.gtPath), 'utf8'), sequence.gtPath);
    const random = seedrandom(`${seed}:${sequence.name}`);
    const noisy = noisyDetections(gt, sequence, random);
    const ours = parseMot(readFileSync(detFixturePath(sequence), 'utf8'), sequence.detFixture);
    return [
      { sequence, label: 'ground truth + noise', detections: noisy, gt },
      { sequence, label: 'our pose detections', detections: ours, gt },
    ];
  });
}

/** `--name=value` among the flags (the bench runner takes bare words as benchmark names). */
function option(args: string[], name: string, fallback: string): string {
  const found = args.find((a) => a.startsWith(`${name}=`));
  return found === undefined ? fallback : found.slice(name.length + 1);
}

const bench: BenchModule = {
  description:
    'tracking alone, ours vs node-moving-things-tracker, on PETS09-S2L1 and TUD-Campus detections',
  async run(args) {
    const dataDir = sharedDataDir();
    if (dataDir === undefined) {
      console.log(
        'skipped: no shared data set (set MASKWATCH_DATA or put shared/data beside the clone)',
      );
      return;
    }
    const runs = Number(option(args, '--runs', String(DEFAULT_RUNS)));
    const seed = option(args, '--seed', DEFAULT_SEED);
    const rows: unknown[][] = [];
    for (const input of inputs(dataDir, seed)) {
      const frames = input.sequence.frames;
      const all = contenders();
      const times = all.map(() => [] as number[]);
      for (let i = 0; i < WARMUP_RUNS; i += 1) for (const c of all) c.run(input.detections, frames);
      // Runs alternate between the trackers, so a change in the machine's load hits both alike.
      for (let i = 0; i < runs; i += 1) {
        all.forEach((c, k) => {
          const t0 = performance.now();
          c.run(input.detections, frames);
          times[k].push(performance.now() - t0);
        });
      }
      all.forEach((contender, k) => {
        const timing = summarizeTimes(times[k]);
        const e = evaluateMot(input.gt, contender.run(input.detections, frames));
        rows.push([
          input.sequence.name,
          input.label,
          contender.name,
          Math.round(frames / (timing.medianMs / 1000)).toLocaleString('en'),
          e.idf1.toFixed(3),
          e.mota.toFixed(3),
          e.idSwitches,
          `${e.resIds} / ${e.gtIds}`,
        ]);
      });
    }
    console.log(
      markdownTable(
        [
          'sequence',
          'detections',
          'tracker',
          'frames/s',
          'IDF1',
          'MOTA',
          'id switches',
          'ids / true',
        ],
        rows,
      ),
    );
    console.log(
      `\nframes/s: median of ${runs} runs each, alternating between trackers, after ${WARMUP_RUNS} untimed ones; seed "${seed}"; load average ${loadAverage()}`,
    );
  },
};

export = bench;
