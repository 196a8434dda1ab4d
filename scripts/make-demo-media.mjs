// Cuts the demo clips of examples/media/ from the shared data set, with the exact ffmpeg
// commands recorded in examples/media/SOURCE.md. Usage:
//   node scripts/make-demo-media.mjs [--data DIR] [--out DIR] [--force] [NAME ...]
// DIR defaults: --data ../shared/data (beside the clone), --out examples/media. NAME is
// corridor-masked-person and/or pets09-excerpt (default: both). Exits 2 when a source is absent.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Output name → source (relative to the data folder) and ffmpeg arguments between -i and the output. */
export const RECIPES = {
  'corridor-masked-person': {
    source: 'videos/cctv-corridor-masked-person/test_mask.mp4',
    // Frames 1–170 of 311 (1-based), every other one: 85 frames at 15 fps, 640×360.
    args: [
      ...['-vf', "select='lt(n\\,170)*not(mod(n\\,2))',setpts=N/(15*TB),scale=640:360", '-r', '15'],
      ...['-an', '-c:v', 'libx264', '-preset', 'slow', '-crf', '20', '-pix_fmt', 'yuv420p'],
      ...['-movflags', '+faststart'],
    ],
  },
  'pets09-excerpt': {
    source: 'videos/pets09-s2l1-vtest/vtest.avi',
    // First 150 frames at the native 768×576 and the stored 10 fps, so MOT15 frame n = frame n.
    args: [
      ...['-frames:v', '150', '-an', '-c:v', 'libx264', '-preset', 'slow', '-crf', '26'],
      ...['-pix_fmt', 'yuv420p', '-movflags', '+faststart'],
    ],
  },
};

function option(args, name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

function main(argv) {
  const args = [...argv];
  const dataDir = resolve(option(args, '--data', join(root, '..', 'shared', 'data')));
  const outDir = resolve(option(args, '--out', join(root, 'examples', 'media')));
  const force = args.includes('--force');
  const names = args.filter((a) => a !== '--force');
  const chosen = names.length > 0 ? names : Object.keys(RECIPES);
  const ffmpeg = process.env.MASKWATCH_FFMPEG || 'ffmpeg';
  mkdirSync(outDir, { recursive: true });
  for (const name of chosen) {
    const recipe = RECIPES[name];
    if (!recipe) throw new Error(`unknown clip ${name}; known: ${Object.keys(RECIPES).join(', ')}`);
    const source = join(dataDir, recipe.source);
    const output = join(outDir, `${name}.mp4`);
    if (existsSync(output) && !force) continue;
    if (!existsSync(source)) {
      console.error(`source clip not found: ${source} (pass --data DIR)`);
      process.exit(2);
    }
    const ffArgs = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-i',
      source,
      ...recipe.args,
      output,
    ];
    execFileSync(ffmpeg, ffArgs, { stdio: 'inherit' });
    console.log(`wrote ${output}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
