/**
 * `maskwatch mot <video> --out res.txt`: our pose detector and tracker on a video, writing
 * MOT-format tracks to score with `maskwatch mot-eval`. `--det-out` keeps the detections in MOT
 * format, so the tracker can be tuned with `maskwatch track` without running pose again.
 */
import { resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { poseDetectionRows, trackSequence } from '../core/track-sequence';
import { withMeasuredScores } from '../core/tracker-score-defaults';
import { integerAtLeast, numberInRange } from '../core/validate';
import { detectVideo, type DetectVideoOptions, type VideoPoses } from '../runtime/detect-video';
import { writeMotFile } from '../runtime/mot-files';
import { DEFAULT_INPUT_LONG_SIDE, DEFAULT_POSE_MODEL } from '../runtime/pose-session';
import { DEFAULT_MIN_POSE_SCORE } from '../core/movenet-decode';
import { POSE_MODEL_HELP, poseModelFlag } from './model-flags';
import {
  addTrackerFlags,
  reportPolicyFrom,
  type TrackerFlags,
  trackerOptionsFrom,
} from './tracker-flags';

interface MotFlags extends TrackerFlags {
  out: string;
  detOut?: string;
  maxFrames: string;
  inputSize: string;
  minPoseScore: string;
  poseModel?: string;
}

export function registerMot(program: Command): void {
  const command = program
    .command('mot')
    .description('detect and track people in a video, writing MOT-format tracks')
    .argument('<video>', 'video file (any container ffmpeg reads), read at its native size')
    .requiredOption('--out <file>', 'where to write the tracks (frame,id,x,y,w,h,1,-1,-1,-1)')
    .option('--det-out <file>', 'also write the detections (frame,-1,x,y,w,h,score,-1,-1,-1)')
    .option('--max-frames <n>', 'stop after this many frames (0 = all)', '0')
    .option('--input-size <px>', 'pose network long side', String(DEFAULT_INPUT_LONG_SIDE))
    .option('--min-pose-score <p>', 'poses below this are dropped', String(DEFAULT_MIN_POSE_SCORE))
    .option('--pose-model <name|path>', POSE_MODEL_HELP, DEFAULT_POSE_MODEL);
  addTrackerFlags(command).action(async (video: string, flags: MotFlags) => {
    trackerOptionsFrom(flags); // fails on a bad flag before minutes of pose estimation
    const poseModel = poseModelFlag('--pose-model', flags.poseModel);
    const report = reportPolicyFrom(flags);
    const detected = await detectWithProgress(resolve(video), {
      maxFrames: integerAtLeast('--max-frames', flags.maxFrames, 0),
      pose: {
        model: poseModel,
        inputLongSide: integerAtLeast('--input-size', flags.inputSize, 32),
        minPoseScore: numberInRange('--min-pose-score', flags.minPoseScore, 0, 1),
      },
    });
    const detections = poseDetectionRows(detected.poses);
    if (flags.detOut !== undefined) writeMotFile(flags.detOut, detections);
    const tracker = withMeasuredScores(detected.modelName, {
      ...trackerOptionsFrom(flags),
      highScore: flags.highScore === undefined ? undefined : Number(flags.highScore),
      lowScore: flags.lowScore === undefined ? undefined : Number(flags.lowScore),
    });
    const result = trackSequence(detections, {
      tracker,
      frames: detected.frames,
      poses: detected.poses,
      ...report,
    });
    writeMotFile(flags.out, result.rows);
    const ids = new Set(result.rows.map((r) => r.id)).size;
    process.stdout.write(
      `${flags.out}: ${result.rows.length} boxes, ${ids} tracks over ${result.frames} frames ` +
        `(${detections.length} detections by ${detected.modelName})\n`,
    );
  });
}

async function detectWithProgress(path: string, options: DetectVideoOptions): Promise<VideoPoses> {
  if (!process.stderr.isTTY) return detectVideo(path, options);
  const bar = new SingleBar(
    { format: 'frames {bar} {value}/{total} · {poses} poses', stream: process.stderr },
    Presets.shades_classic,
  );
  let started = false;
  try {
    return await detectVideo(path, options, (_frame, total, poses) => {
      if (!started) bar.start(total ?? 0, 0, { poses: poses.length });
      started = true;
      bar.increment(1, { poses: poses.length });
    });
  } finally {
    if (started) bar.stop();
  }
}
