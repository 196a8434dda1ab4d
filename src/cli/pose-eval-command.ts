/**
 * `maskwatch pose-eval <video> --gt <gt.txt>`: how well a pose model finds the people of a clip
 * with MOTChallenge ground truth. Every frame is estimated; a pose counts as a person found when
 * its box pairs with a ground-truth box at IoU ≥ 0.5 (one to one, best total IoU). Recall and
 * precision are given per minimum pose score, with the time per frame, so the table in
 * models/README.md can be reproduced and a default chosen from it.
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  addCounts,
  DEFAULT_MIN_IOU,
  matchFrame,
  NO_COUNTS,
  parseMotTruth,
  precision,
  recall,
  type DetectionCounts,
} from '../core/detection-metrics';
import { integerAtLeast, numberInRange, oneOf } from '../core/validate';
import { EXECUTION_PROVIDERS } from '../runtime/execution-provider';
import { openVideo } from '../runtime/ffmpeg-frame-reader';
import { POSE_LAYOUTS } from '../runtime/pose-model-layouts';
import { POSE_MODEL_HELP, poseModelFlag } from './model-flags';
import {
  createPoseSession,
  DEFAULT_INPUT_LONG_SIDE,
  DEFAULT_POSE_MODEL,
} from '../runtime/pose-session';

/** Score thresholds reported unless asked otherwise. */
const DEFAULT_THRESHOLDS = '0.05,0.1,0.15,0.2,0.25,0.3,0.4,0.5';

interface PoseEvalFlags {
  gt: string;
  model: string;
  layout?: string;
  inputSize: string;
  thresholds: string;
  minIou: string;
  maxFrames: string;
  threads: string;
  tiles: string;
  executionProvider: string;
  json?: boolean;
}

export function registerPoseEval(program: Command): void {
  program
    .command('pose-eval')
    .description('person recall and precision of a pose model on a clip with MOT ground truth')
    .argument('<video>', 'video file')
    .requiredOption('--gt <gt.txt>', 'MOTChallenge ground truth (1-based frames; conf 0 = ignore)')
    .option('--model <name|path>', POSE_MODEL_HELP, DEFAULT_POSE_MODEL)
    .option('--layout <layout>', `layout of a custom ONNX model (${POSE_LAYOUTS.join(', ')})`)
    .option('--input-size <px>', 'pose network long side', String(DEFAULT_INPUT_LONG_SIDE))
    .option('--thresholds <list>', 'minimum pose scores to report', DEFAULT_THRESHOLDS)
    .option(
      '--min-iou <v>',
      'IoU a pose box needs with a ground-truth box',
      String(DEFAULT_MIN_IOU),
    )
    .option('--max-frames <n>', 'stop after this many frames (0 = all)', '0')
    .option('--threads <n>', 'inference threads (0 = ONNX Runtime default)', '0')
    .option('--tiles <n>', 'side-by-side tiles per frame (1 = whole frame)', '1')
    .option('--execution-provider <ep>', 'cpu or cuda', 'cpu')
    .option('--json', 'print the result as JSON')
    .action(async (video: string, flags: PoseEvalFlags) => {
      const result = await evaluate(resolve(video), flags);
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : describe(result));
    });
}

interface EvalRow {
  minPoseScore: number;
  recall: number;
  precision: number;
  counts: DetectionCounts;
}

interface EvalResult {
  video: string;
  model: string;
  tiles: number;
  inputSize: { width: number; height: number };
  frames: number;
  minIou: number;
  /** Median and mean time of `estimate()` per frame, the first (warm-up) frame left out. */
  medianMs: number;
  meanMs: number;
  /** 1-minute load average at the start and the end of the run. */
  load: [number, number];
  rows: EvalRow[];
}

async function evaluate(video: string, flags: PoseEvalFlags): Promise<EvalResult> {
  const thresholds = flags.thresholds
    .split(',')
    .map((t, i) => numberInRange(`--thresholds[${i}]`, t.trim(), 0, 1));
  const minIou = numberInRange('--min-iou', flags.minIou, 0, 1);
  const session = await createPoseSession({
    model: poseModelFlag('--model', flags.model),
    layout: flags.layout === undefined ? undefined : oneOf('--layout', flags.layout, POSE_LAYOUTS),
    inputLongSide: integerAtLeast('--input-size', flags.inputSize, 32),
    threads: integerAtLeast('--threads', flags.threads, 0),
    tiles: integerAtLeast('--tiles', flags.tiles, 1),
    executionProvider: oneOf('--execution-provider', flags.executionProvider, EXECUTION_PROVIDERS),
    minPoseScore: Math.min(...thresholds),
  });
  const loadBefore = loadavg()[0]!;
  const counts = thresholds.map(() => NO_COUNTS);
  const times: number[] = [];
  let frames = 0;
  const reader = await openVideo(video, {
    maxFrames: integerAtLeast('--max-frames', flags.maxFrames, 0),
  });
  try {
    const truth = parseMotTruth(
      await readFile(resolve(flags.gt), 'utf8'),
      reader.frameWidth,
      reader.frameHeight,
    );
    for await (const frame of reader) {
      const started = performance.now();
      const poses = await session.estimate(frame);
      if (frames > 0) times.push(performance.now() - started);
      frames += 1;
      const expected = truth.get(frame.index + 1) ?? { boxes: [], ignored: [] };
      thresholds.forEach((t, i) => {
        const boxes = poses.filter((p) => p.score >= t).map((p) => p.box);
        counts[i] = addCounts(counts[i]!, matchFrame(boxes, expected, minIou));
      });
    }
  } finally {
    await reader.close();
    session.dispose();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    video,
    model: flags.model,
    tiles: Number(flags.tiles),
    inputSize: session.inputSize,
    frames,
    minIou,
    medianMs: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    meanMs: round(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
    load: [round(loadBefore), round(loadavg()[0]!)],
    rows: thresholds.map((t, i) => ({
      minPoseScore: t,
      recall: round(recall(counts[i]!), 3),
      precision: round(precision(counts[i]!), 3),
      counts: counts[i]!,
    })),
  };
}

function describe(r: EvalResult): string {
  const lines = [
    `${r.video}: ${r.model} at ${r.inputSize.width}×${r.inputSize.height}, ${r.frames} frames, ` +
      `median ${r.medianMs} ms/frame (load ${r.load[0]} → ${r.load[1]}), IoU ≥ ${r.minIou}`,
    '| min pose score | recall | precision | found | missed | extra |',
    '|---|---|---|---|---|---|',
    ...r.rows.map(
      (row) =>
        `| ${row.minPoseScore} | ${row.recall} | ${row.precision} | ${row.counts.truePositives} | ` +
        `${row.counts.misses} | ${row.counts.falsePositives} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
