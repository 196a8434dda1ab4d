/**
 * Where the tests find the demo clips: examples/media/ when they are there, else cut once into
 * the OS temp folder from the shared data set beside the clone (scripts/make-demo-media.mjs).
 * Undefined when neither is possible; the caller skips with the reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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
