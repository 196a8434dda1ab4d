/**
 * `maskwatch run <video>`: the whole chain on one video file, headless, and a compliance summary
 * at the end (`--json` for a machine-readable one). A progress bar goes to stderr on a terminal.
 */
import { resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { integerAtLeast, numberInRange } from '../core/validate';
import { DEFAULT_INPUT_LONG_SIDE, DEFAULT_POSE_MODEL } from '../runtime/pose-session';
import { DEFAULT_CLASSIFIER_MODEL } from '../runtime/mask-classifier-session';
import { runPipeline, type PipelineOptions, type PipelineResult } from '../runtime/pipeline';
import { DEFAULT_MIN_FACE_PX, DEFAULT_MIN_SCORE } from '../runtime/classify-faces';
import { CLASSIFIER_MODEL_HELP, POSE_MODEL_HELP, poseModelFlag } from './model-flags';

/** Frame width the stages were tuned at: surveillance clips are read at 640 px unless asked. */
const DEFAULT_WIDTH = 640;

interface RunFlags {
  json?: boolean;
  width: string;
  maxFrames: string;
  inputSize: string;
  minScore: string;
  minFacePx: string;
  model?: string;
  poseModel?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('count mask compliance in a video file with the full Maskwatch chain')
    .argument('<video>', 'video file (any container ffmpeg reads)')
    .option('--json', 'print the summary as JSON')
    .option('--width <px>', 'decode width, aspect kept (0 = native)', String(DEFAULT_WIDTH))
    .option('--max-frames <n>', 'stop after this many frames (0 = all)', '0')
    .option('--input-size <px>', 'pose network long side', String(DEFAULT_INPUT_LONG_SIDE))
    .option(
      '--min-score <p>',
      'classifier confidence below which a face is unknown',
      String(DEFAULT_MIN_SCORE),
    )
    .option(
      '--min-face-px <px>',
      'faces smaller than this are unknown',
      String(DEFAULT_MIN_FACE_PX),
    )
    .option('--model <name|path>', CLASSIFIER_MODEL_HELP, DEFAULT_CLASSIFIER_MODEL)
    .option('--pose-model <name|path>', POSE_MODEL_HELP, DEFAULT_POSE_MODEL)
    .action(async (video: string, flags: RunFlags) => {
      const result = await runWithProgress(resolve(video), pipelineOptions(flags));
      process.stdout.write(
        flags.json ? `${JSON.stringify(runSummary(result), null, 2)}\n` : describe(result),
      );
    });
}

function pipelineOptions(flags: RunFlags): PipelineOptions {
  const minFacePx = integerAtLeast('--min-face-px', flags.minFacePx, 1);
  return {
    width: integerAtLeast('--width', flags.width, 0),
    maxFrames: integerAtLeast('--max-frames', flags.maxFrames, 0),
    pose: {
      model: poseModelFlag('--pose-model', flags.poseModel),
      inputLongSide: integerAtLeast('--input-size', flags.inputSize, 32),
    },
    tracker: {},
    faces: { minFacePx },
    classifier: {
      model: flags.model,
      minScore: numberInRange('--min-score', flags.minScore, 0, 1),
      minFacePx,
    },
    vote: {},
  };
}

async function runWithProgress(path: string, options: PipelineOptions): Promise<PipelineResult> {
  if (!process.stderr.isTTY) return runPipeline(path, options);
  const bar = new SingleBar(
    { format: 'frames {bar} {value}/{total} · {people} people', stream: process.stderr },
    Presets.shades_classic,
  );
  let started = false;
  try {
    return await runPipeline(path, options, ({ tracks }, total) => {
      const people = tracks.filter((t) => t.state === 'confirmed').length;
      if (!started) bar.start(total ?? 0, 0, { people });
      started = true;
      bar.increment(1, { people });
    });
  } finally {
    if (started) bar.stop();
  }
}

/** The JSON the command prints: the documented fields first, then extras. */
export function runSummary(result: PipelineResult) {
  const { compliance } = result;
  return {
    frames: result.frames,
    fps: round(result.fps, 2),
    people: compliance.people.map((p) => ({
      trackId: p.trackId,
      firstFrame: p.firstFrame,
      lastFrame: p.lastFrame,
      verdict: p.verdict,
      votes: p.votes,
    })),
    counts: compliance.counts,
    complianceRate: compliance.complianceRate,
    video: result.video,
    videoFps: result.videoFps,
    size: { width: result.width, height: result.height },
    wallSeconds: round(result.wallMs / 1000, 2),
    stageMs: Object.fromEntries(
      Object.entries(result.stageMs).map(([stage, ms]) => [stage, Math.round(ms)]),
    ),
    skipped: compliance.skipped,
  };
}

function describe(result: PipelineResult): string {
  const { counts, complianceRate } = result.compliance;
  const rate = complianceRate === null ? 'n/a' : `${(complianceRate * 100).toFixed(1)} %`;
  return [
    `${result.video}: ${result.frames} frames at ${result.fps.toFixed(1)} frames/s`,
    `people ${counts.people}: mask ${counts.mask}, no_mask ${counts.no_mask}, ` +
      `incorrect ${counts.incorrect}, unknown ${counts.unknown}`,
    `compliance rate ${rate}`,
    '',
  ].join('\n');
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
