/**
 * Time per frame of the pose stage (letterbox, inference and decoding: one `estimate()`) per
 * model and input size, on frames of the committed PETS09 excerpt (768×576). Flags:
 * `--models=a,b`, `--sizes=256,384`, `--frames=n`, `--threads=n`.
 */
import { join } from 'node:path';
import { openVideo } from '../runtime/ffmpeg-frame-reader';
import {
  createPoseSession,
  DEFAULT_INPUT_LONG_SIDE,
  DEFAULT_POSE_MODEL,
} from '../runtime/pose-session';
import type { Frame } from '../core/types';
import { loadAverage, markdownTable, timeRuns, type BenchModule } from './bench-kit';

const CLIP = join(__dirname, '..', '..', '..', 'examples', 'media', 'pets09-excerpt.mp4');
const DEFAULT_FRAMES = 30;
/** Untimed calls first: the first inference allocates and plans the graph. */
const WARMUP = 3;

function flag(args: string[], name: string, fallback: string): string {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : hit.slice(name.length + 3);
}

async function readFrames(count: number): Promise<Frame[]> {
  const reader = await openVideo(CLIP, { maxFrames: count });
  const frames: Frame[] = [];
  try {
    for await (const frame of reader) frames.push(frame);
  } finally {
    await reader.close();
  }
  return frames;
}

const bench: BenchModule = {
  description: 'pose estimate() per frame on examples/media/pets09-excerpt.mp4 (768×576)',
  async run(args) {
    const models = flag(args, 'models', `${DEFAULT_POSE_MODEL},posenet`).split(',');
    const sizes = flag(args, 'sizes', `256,${DEFAULT_INPUT_LONG_SIDE},512,640`)
      .split(',')
      .map(Number);
    const threads = Number(flag(args, 'threads', '0'));
    const frames = await readFrames(Number(flag(args, 'frames', String(DEFAULT_FRAMES))));
    const rows: unknown[][] = [];
    for (const model of models) {
      for (const size of sizes) {
        const session = await createPoseSession({ model, inputLongSide: size, threads });
        try {
          const t = await timeRuns(
            (i) => session.estimate(frames[i % frames.length]!),
            frames.length,
            WARMUP,
          );
          const input = session.inputSize;
          rows.push([
            model,
            `${input.width}×${input.height}`,
            t.medianMs.toFixed(1),
            t.p90Ms.toFixed(1),
            t.minMs.toFixed(1),
            loadAverage(),
          ]);
        } finally {
          session.dispose();
        }
      }
    }
    console.log(
      markdownTable(
        ['model', 'network input', 'median ms', 'p90 ms', 'min ms', 'load after'],
        rows,
      ),
    );
    console.log(
      `\n${frames.length} frames each, ${WARMUP} untimed first; threads ${threads || 'auto'}`,
    );
  },
};

export = bench;
