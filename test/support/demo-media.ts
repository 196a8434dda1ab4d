/**
 * Where the tests find the demo clips: examples/media/ when they are there, else cut once into
 * the OS temp folder from the shared data set beside the clone (scripts/make-demo-media.mjs).
 * Undefined when neither is possible; the caller skips with the reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Frame } from '../../src/core/types';

export type DemoClip = 'corridor-masked-person' | 'pets09-excerpt';

/** The folder holding package.json, found upwards from the compiled test. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** Bump when the recipe in scripts/make-demo-media.mjs changes, so a stale cut is not reused. */
const RECIPE_VERSION = 1;

export function demoClip(name: DemoClip): string | undefined {
  const root = repoRoot();
  const committed = join(root, 'examples', 'media', `${name}.mp4`);
  if (existsSync(committed)) return committed;
  const cacheDir = join(tmpdir(), `maskwatch-demo-media-v${RECIPE_VERSION}`);
  const cached = join(cacheDir, `${name}.mp4`);
  if (existsSync(cached)) return cached;
  const script = join(root, 'scripts', 'make-demo-media.mjs');
  const result = spawnSync(process.execPath, [script, '--out', cacheDir, name], {
    stdio: 'ignore',
  });
  return result.status === 0 && existsSync(cached) ? cached : undefined;
}

export const NO_CLIP_REASON =
  'demo clip absent: no examples/media/*.mp4 and no ../shared/data to cut it from';

/**
 * Frame `index` (0-based) of a clip as a Maskwatch frame of RGB pixels, decoded by ffmpeg;
 * `width` and `height` are the clip's own size. Throws with ffmpeg's message when it fails.
 */
export function decodeClipFrame(clip: string, index: number, width: number, height: number): Frame {
  const args = ['-loglevel', 'error', '-i', clip, '-vf', `select=eq(n\\,${index})`];
  args.push('-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-');
  const result = spawnSync('ffmpeg', args, { maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${String(result.stderr)}`);
  return {
    data: result.stdout,
    width,
    height,
    channels: 3,
    index,
    timestampMs: 0,
    source: basename(clip),
  };
}
