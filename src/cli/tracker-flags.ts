/**
 * The tracker settings every MOT subcommand accepts, as flags named after the node's settings,
 * and their parsing into `TrackerOptions` (validated there, so errors name the option).
 */
import type { Command } from 'commander';
import { type TrackerOptions, validateTrackerOptions } from '../core/tracker';
import type { ResultPolicy } from '../core/track-sequence';
import { integerAtLeast } from '../core/validate';

export interface TrackerFlags {
  minIou?: string;
  maxAge?: string;
  minHits?: string;
  tentativeMisses?: string;
  highScore?: string;
  lowScore?: string;
  lostFrames: string;
}

/** Adds the tracker flags; blank ones fall back to the tracker's defaults. */
export function addTrackerFlags(command: Command): Command {
  return command
    .option('--min-iou <iou>', 'least IoU between a predicted box and a detection')
    .option('--max-age <frames>', 'frames a confirmed track may go unmatched')
    .option('--min-hits <n>', 'matched frames before a track is confirmed')
    .option('--tentative-misses <frames>', 'frames a tentative track may go unmatched')
    .option('--high-score <p>', 'detections at or above this start tracks and match first')
    .option('--low-score <p>', 'detections below this are ignored')
    .option(
      '--lost-frames <n>',
      'also write a lost track’s predicted box for this many frames',
      '0',
    );
}

export function trackerOptionsFrom(flags: TrackerFlags): Partial<TrackerOptions> {
  return validateTrackerOptions({
    minIou: flags.minIou,
    maxAgeFrames: flags.maxAge,
    minHits: flags.minHits,
    maxTentativeMissFrames: flags.tentativeMisses,
    highScore: flags.highScore,
    lowScore: flags.lowScore,
  });
}

export function reportPolicyFrom(flags: TrackerFlags): {
  report: ResultPolicy;
  maxLostFrames: number;
} {
  const maxLostFrames = integerAtLeast('--lost-frames', flags.lostFrames, 0);
  return { report: maxLostFrames > 0 ? 'confirmed+lost' : 'confirmed', maxLostFrames };
}
