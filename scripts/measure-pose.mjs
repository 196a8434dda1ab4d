// Measures the pose session by hand (not a test): ms per frame and how many ground-truth people
// it finds, per network long side, on evenly spaced PETS09-S2L1 frames. Needs `npm run build`
// and the shared data beside the repo (../shared/data).
//
//   node scripts/measure-pose.mjs [frames=20] [sides=256,384,512,640]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { createPoseSession } = require(join(root, 'dist/src/runtime/pose-session.js'));
const { iou } = require(join(root, 'dist/src/core/box.js'));

const clip = join(root, '..', 'shared/data/videos/pets09-s2l1-vtest');
const frameCount = Number(process.argv[2] ?? 20);
const sides = (process.argv[3] ?? '256,384,512,640').split(',').map(Number);
const scoreSteps = [0.1, 0.15, 0.2, 0.25, 0.3];
const MIN_IOU = 0.3;
const WIDTH = 768;
const HEIGHT = 576;
const TOTAL_FRAMES = 795;

const gt = new Map();
for (const line of readFileSync(join(clip, 'gt/gt.txt'), 'utf8').trim().split('\n')) {
  const [f, , x, y, w, h] = line.split(',').map(Number);
  if (!gt.has(f)) gt.set(f, []);
  gt.get(f).push({ x1: x, y1: y, x2: x + w, y2: y + h });
}

/** 1-based frame numbers, evenly spaced over the clip. */
const frames = Array.from({ length: frameCount }, (_, i) =>
  Math.round(1 + ((i + 0.5) * (TOTAL_FRAMES - 1)) / frameCount),
);

function decode(frameNo) {
  const r = spawnSync(
    'ffmpeg',
    [
      '-loglevel',
      'error',
      '-i',
      join(clip, 'vtest.avi'),
      '-vf',
      `select=eq(n\\,${frameNo - 1})`,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
    { maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return {
    data: r.stdout,
    width: WIDTH,
    height: HEIGHT,
    channels: 3,
    index: frameNo - 1,
    timestampMs: 0,
    source: 'vtest.avi',
  };
}

/** Greedy one-to-one matching by IoU, best pairs first. */
function matched(poses, boxes) {
  const pairs = [];
  poses.forEach((p, i) => boxes.forEach((b, j) => pairs.push([iou(p.box, b), i, j])));
  pairs.sort((a, b) => b[0] - a[0]);
  const usedP = new Set();
  const usedG = new Set();
  for (const [v, i, j] of pairs) {
    if (v < MIN_IOU || usedP.has(i) || usedG.has(j)) continue;
    usedP.add(i);
    usedG.add(j);
  }
  return { hits: usedG.size, falsePoses: poses.length - usedP.size };
}

const decoded = frames.map(decode);
const gtTotal = frames.reduce((n, f) => n + (gt.get(f)?.length ?? 0), 0);
console.log(`${frames.length} frames, ${gtTotal} gt people; IoU ≥ ${MIN_IOU}`);
for (const side of sides) {
  const session = await createPoseSession({ inputLongSide: side, minPoseScore: 0 });
  await session.estimate(decoded[0]); // warm-up: first call compiles kernels
  const stats = scoreSteps.map(() => ({ hits: 0, falsePoses: 0 }));
  let ms = 0;
  for (let k = 0; k < decoded.length; k++) {
    const t = performance.now();
    const poses = await session.estimate(decoded[k]);
    ms += performance.now() - t;
    scoreSteps.forEach((s, i) => {
      const m = matched(
        poses.filter((p) => p.score >= s),
        gt.get(frames[k]) ?? [],
      );
      stats[i].hits += m.hits;
      stats[i].falsePoses += m.falsePoses;
    });
  }
  const cells = scoreSteps.map(
    (s, i) => `≥${s}: ${stats[i].hits}/${gtTotal} (+${stats[i].falsePoses} fp)`,
  );
  console.log(
    `${side} ${JSON.stringify(session.inputSize)} ${(ms / decoded.length).toFixed(0)} ms | ${cells.join(' | ')}`,
  );
  session.dispose();
}
