/**
 * What video-source costs: frames per second and peak memory of the two ffmpeg pipes, the file
 * reader (rawvideo, ffprobe first) and the live reader (PPM images, no probe), on the corridor
 * clip and on ffmpeg's generated test pattern at 720p and 4K scaled to 640 px.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openVideo } from '../runtime/ffmpeg-frame-reader';
import { FfmpegStreamReader } from '../runtime/ffmpeg-stream-reader';
import { liveChildren } from '../runtime/child-registry';
import { loadAverage, markdownTable, type BenchModule } from './bench-kit';

const CLIP = join(__dirname, '..', '..', '..', 'examples', 'media', 'corridor-masked-person.mp4');
const OUTPUT_WIDTH = 640;
/** Memory is sampled this often while a case runs; the peak is reported. */
const SAMPLE_MS = 50;
/** Frames per generated-pattern case. */
const PATTERN_FRAMES = 150;

interface CaseResult {
  frames: number;
  wallMs: number;
  peakNodeRssMiB: number;
  peakFfmpegRssMiB: number;
  frameSize: string;
}

function rssMiB(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? 0 : Number(kib) / 1024;
  } catch {
    return 0;
  }
}

/** Runs `work`, sampling this process's and every ffmpeg child's resident memory. */
async function measured(work: () => Promise<{ frames: number; frameSize: string }>) {
  let peakNode = 0;
  let peakFfmpeg = 0;
  const sample = (): void => {
    peakNode = Math.max(peakNode, process.memoryUsage().rss / 2 ** 20);
    for (const child of liveChildren()) peakFfmpeg = Math.max(peakFfmpeg, rssMiB(child.pid));
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const t0 = performance.now();
  try {
    const { frames, frameSize } = await work();
    sample();
    return {
      frames,
      frameSize,
      wallMs: performance.now() - t0,
      peakNodeRssMiB: peakNode,
      peakFfmpegRssMiB: peakFfmpeg,
    } satisfies CaseResult;
  } finally {
    clearInterval(timer);
  }
}

async function fileReader(): Promise<{ frames: number; frameSize: string }> {
  const reader = await openVideo(CLIP, { width: OUTPUT_WIDTH });
  let frames = 0;
  let frameSize = '';
  for await (const frame of reader) {
    frames += 1;
    frameSize = `${frame.width}×${frame.height}`;
  }
  return { frames, frameSize };
}

/** The live reader on `inputArgs`, read to its end. */
function streamReader(inputArgs: string[]): Promise<{ frames: number; frameSize: string }> {
  return new Promise((resolve, reject) => {
    let frames = 0;
    let frameSize = '';
    new FfmpegStreamReader(
      { inputArgs, width: OUTPUT_WIDTH, secrets: [] },
      {
        frame: (image) => {
          frames += 1;
          frameSize = `${image.width}×${image.height}`;
        },
        exit: (exit) =>
          exit.code === 0
            ? resolve({ frames, frameSize })
            : reject(exit.error ?? new Error(exit.stderr.join('\n'))),
      },
    );
  });
}

function pattern(size: string): string[] {
  return [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=30`,
    '-frames:v',
    String(PATTERN_FRAMES),
  ];
}

const bench: BenchModule = {
  description: `ffmpeg → Node pipes at ${OUTPUT_WIDTH} px: frames/s and peak resident memory`,
  async run() {
    const cases: [string, () => Promise<{ frames: number; frameSize: string }>][] = [
      ['file reader (rawvideo), corridor clip 640×360', fileReader],
      ['live reader (PPM), corridor clip 640×360', () => streamReader(['-i', CLIP])],
      ['live reader (PPM), test pattern 1280×720', () => streamReader(pattern('1280x720'))],
      ['live reader (PPM), test pattern 3840×2160', () => streamReader(pattern('3840x2160'))],
    ];
    const rows = [];
    for (const [name, work] of cases) {
      const r = await measured(work);
      rows.push([
        name,
        r.frameSize,
        r.frames,
        ((r.frames * 1000) / r.wallMs).toFixed(0),
        r.peakNodeRssMiB.toFixed(0),
        r.peakFfmpegRssMiB.toFixed(0),
        loadAverage(),
      ]);
    }
    const header = ['case', 'frame out', 'frames', 'frames/s', 'node RSS MiB', 'ffmpeg RSS MiB'];
    console.log(markdownTable([...header, 'load'], rows));
  },
};

export = bench;
