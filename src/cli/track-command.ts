/**
 * `maskwatch track --det det.txt --out res.txt`: the tracker alone on MOT-format detections (from
 * any detector, or cached by `maskwatch mot --det-out`), writing MOT-format tracks.
 */
import type { Command } from 'commander';
import { trackSequence } from '../core/track-sequence';
import { integerAtLeast } from '../core/validate';
import { readMotFile, writeMotFile } from '../runtime/mot-files';
import {
  addTrackerFlags,
  reportPolicyFrom,
  type TrackerFlags,
  trackerOptionsFrom,
} from './tracker-flags';

interface TrackFlags extends TrackerFlags {
  det: string;
  out: string;
  frames?: string;
}

export function registerTrack(program: Command): void {
  const command = program
    .command('track')
    .description('track people in MOT-format detections and write MOT-format tracks')
    .requiredOption('--det <file>', 'detections, one MOT line per box (frame,-1,x,y,w,h,score,...)')
    .requiredOption('--out <file>', 'where to write the tracks (frame,id,x,y,w,h,1,-1,-1,-1)')
    .option('--frames <n>', 'frames in the sequence (default: the last frame with a detection)');
  addTrackerFlags(command).action((flags: TrackFlags) => {
    const detections = readMotFile(flags.det);
    const result = trackSequence(detections, {
      tracker: trackerOptionsFrom(flags),
      frames: flags.frames === undefined ? undefined : integerAtLeast('--frames', flags.frames, 1),
      ...reportPolicyFrom(flags),
    });
    writeMotFile(flags.out, result.rows);
    const ids = new Set(result.rows.map((r) => r.id)).size;
    process.stdout.write(
      `${flags.out}: ${result.rows.length} boxes, ${ids} tracks over ${result.frames} frames` +
        (result.skippedDetections > 0
          ? `, ${result.skippedDetections} bad detections skipped`
          : '') +
        '\n',
    );
  });
}
