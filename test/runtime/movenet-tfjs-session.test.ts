import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOT_SEQUENCES, sharedDataDir } from '../../src/bench/mot-sequences';
import { iou, type BoxXYXY } from '../../src/core/box';
import type { Frame, Pose } from '../../src/core/types';
import { createPoseSession, type PoseSession } from '../../src/runtime/pose-session';
import { ModelFileError } from '../../src/runtime/tfjs-file-io';
import { tf } from '../../src/runtime/tfjs-backend';

/** Repo root from dist/test/runtime. */
const REPO = join(__dirname, '..', '..', '..');
const PETS = MOT_SEQUENCES.find((s) => s.name === 'PETS09-S2L1')!;
/** The shared data set ($MASKWATCH_DATA or ../shared/data); undefined when it is absent. */
const DATA = sharedDataDir();
/** 1-based, as in gt.txt; six people, two of them walking side by side. */
const FRAME_NO = 100;
const MIN_IOU = 0.3;
/** Share of ground-truth people a pose must cover; measured 4 of 6 at the default size. */
const MIN_RECALL = 0.5;

/** Decodes one frame exactly (10 fps as stored: frame n starts at (n − 1) / 10 s). */
function decodePetsFrame(frameNo: number): Frame {
  const seconds = ((frameNo - 1) / 10).toFixed(1);
  const args = ['-loglevel', 'error', '-i', join(DATA!, PETS.videoPath), '-ss', seconds];
  args.push('-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-');
  const result = spawnSync('ffmpeg', args, { maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${String(result.stderr)}`);
  return {
    data: result.stdout,
    width: PETS.width,
    height: PETS.height,
    channels: 3,
    index: frameNo - 1,
    timestampMs: (frameNo - 1) * 100,
    source: 'vtest.avi',
  };
}

function groundTruth(frameNo: number): BoxXYXY[] {
  return readFileSync(join(DATA!, PETS.gtPath), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number))
    .filter((cols) => cols[0] === frameNo)
    .map(([, , x, y, w, h]) => ({ x1: x, y1: y, x2: x + w, y2: y + h }));
}

/** Ground-truth boxes covered by a distinct pose (greedy one-to-one by IoU). */
function matchedCount(poses: Pose[], truth: BoxXYXY[]): number {
  const pairs = poses.flatMap((p, i) => truth.map((t, j) => ({ v: iou(p.box, t), i, j })));
  pairs.sort((a, b) => b.v - a.v);
  const usedPoses = new Set<number>();
  const usedTruth = new Set<number>();
  for (const { v, i, j } of pairs) {
    if (v < MIN_IOU || usedPoses.has(i) || usedTruth.has(j)) continue;
    usedPoses.add(i);
    usedTruth.add(j);
  }
  return usedTruth.size;
}

describe('movenet-tfjs-session', function () {
  let session: PoseSession;
  let frame: Frame;

  before(async function () {
    if (DATA === undefined || !existsSync(join(DATA, PETS.videoPath))) {
      console.warn('    skipped: no PETS09 clip in $MASKWATCH_DATA or ../shared/data');
      this.skip();
    }
    if (spawnSync('ffmpeg', ['-version']).status !== 0) {
      console.warn('    skipped: no ffmpeg on PATH');
      this.skip();
    }
    frame = decodePetsFrame(FRAME_NO);
    session = await createPoseSession({ model: 'movenet-multipose-tfjs' });
  });

  after(() => session?.dispose());

  it('finds most PETS09 people of frame 100 where the ground truth has them', async () => {
    const truth = groundTruth(FRAME_NO);
    expect(truth).to.have.length(6);
    const before = Buffer.from(frame.data);
    const poses = await session.estimate(frame);
    expect(frame.data.equals(before), 'frame bytes unchanged').to.equal(true);
    expect(session.inputSize).to.deep.equal({ width: 384, height: 288 });
    expect(matchedCount(poses, truth) / truth.length).to.be.at.least(MIN_RECALL);
    for (const pose of poses) {
      expect(pose.box.x2).to.be.at.most(PETS.width);
      expect(pose.box.y2).to.be.at.most(PETS.height);
      // A person's nose, when seen, lies in the top half of the person's box.
      const nose = pose.keypoints.find((k) => k.name === 'nose');
      if (nose && nose.score > 0.3) {
        expect(nose.y).to.be.below((pose.box.y1 + pose.box.y2) / 2);
      }
    }
  });

  it('keeps the number of live tensors constant over repeated estimates', async () => {
    await session.estimate(frame);
    const live = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await session.estimate(frame);
    expect(tf.memory().numTensors).to.equal(live);
  });

  it('frees its weights on dispose', async () => {
    const before = tf.memory().numTensors;
    const other = await createPoseSession({ model: 'movenet-multipose-tfjs', inputLongSide: 256 });
    expect(tf.memory().numTensors).to.be.above(before);
    other.dispose();
    expect(tf.memory().numTensors).to.equal(before);
    let caught: unknown;
    await other.estimate(frame).catch((err: unknown) => (caught = err));
    expect(String(caught)).to.match(/disposed/);
  });
});

describe('pose session model loading', () => {
  it('names the missing file when the model does not exist', async () => {
    const path = join(REPO, 'models', 'no-such-model', 'model.json');
    let caught: unknown;
    await createPoseSession({ model: path }).catch((err: unknown) => (caught = err));
    expect(caught).to.be.instanceOf(ModelFileError);
    expect((caught as Error).message)
      .to.include(path)
      .and.to.include('not found');
  });
});
