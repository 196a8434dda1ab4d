/**
 * The whole chain on the corridor demo clip: frames per second of `maskwatch run`, and where the
 * time goes, stage by stage.
 */
import { join } from 'node:path';
import { runPipeline } from '../runtime/pipeline';
import { DEFAULT_MIN_FACE_PX, DEFAULT_MIN_SCORE } from '../runtime/classify-faces';
import { markdownTable, type BenchModule } from './bench-kit';

const CLIP = join(__dirname, '..', '..', '..', 'examples', 'media', 'corridor-masked-person.mp4');

const bench: BenchModule = {
  description: 'full chain on examples/media/corridor-masked-person.mp4 (640×360, 85 frames)',
  async run() {
    const result = await runPipeline(CLIP, {
      width: 640,
      maxFrames: 0,
      pose: {},
      tracker: {},
      faces: {},
      classifier: { minScore: DEFAULT_MIN_SCORE, minFacePx: DEFAULT_MIN_FACE_PX },
      vote: {},
    });
    const rows = Object.entries(result.stageMs).map(([stage, ms]) => [
      stage,
      (ms / result.frames).toFixed(1),
      ((100 * ms) / result.wallMs).toFixed(0),
    ]);
    console.log(markdownTable(['stage', 'ms / frame', '% of wall time'], rows));
    console.log(
      `\n${result.frames} frames in ${(result.wallMs / 1000).toFixed(1)} s: ` +
        `${result.fps.toFixed(2)} frames/s (model loading included)`,
    );
  },
};

export = bench;
