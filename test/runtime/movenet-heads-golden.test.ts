/**
 * Golden test of the MoveNet decoding that moved out of the graph: on real PETS09 frames the
 * heads decoder (src/core/movenet-heads-decode.ts, on the shipped model cut at the heads) must
 * give the poses of the in-graph decoder (the published graph converted with 20 rows, the
 * default model before the cut).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  MOVENET_IN_GRAPH_ROWS,
  moveNetForPeople,
  SHIPPED_CONVERSIONS,
} from '../../src/convert/shipped-conversions';
import { readTfjsGraph } from '../../src/convert/tfjs-graph';
import { convertTfjsGraph } from '../../src/convert/tfjs-to-onnx';
import { fitLetterbox, networkSizeFor } from '../../src/core/letterbox';
import { MOVENET_ROW_LENGTH } from '../../src/core/movenet-decode';
import { decodeMoveNetHeads } from '../../src/core/movenet-heads-decode';
import type { Frame, Pose } from '../../src/core/types';
import { letterboxPixels } from '../../src/runtime/letterbox-image';
import { modelsDir } from '../../src/runtime/models-dir';
import { MOVENET_HEAD_OUTPUTS } from '../../src/runtime/pose-model-layouts';
import { createPoseSession, type PoseSession } from '../../src/runtime/pose-session';
import { fileModelHandler } from '../../src/runtime/tfjs-file-io';
import { demoClip, NO_CLIP_REASON, decodeClipFrame } from '../support/demo-media';

/** Excerpt frames compared (0-based): 4 and 7 people. */
const FRAMES = [20, 120];
const WIDTH = 768;
const HEIGHT = 576;
/** Largest difference of any row value when both decode the same 20 centres (float32 rounding). */
const ROW_TOLERANCE = 1e-5;
/**
 * With the defaults the heads decoder weighs keypoints against the centres scoring 0.05 or more,
 * not against the 20 strongest peaks, so a keypoint's score (the best weight over all centres)
 * can be a little lower; on the 150 frames of the excerpt at most 0.039, and person scores at
 * most 0.0013. Positions and boxes are the same.
 */
const KEYPOINT_SCORE_TOLERANCE = 0.05;
const POSE_SCORE_TOLERANCE = 0.005;
const PIXEL_TOLERANCE = 0.01;

function decodeFrame(clip: string, index: number): Frame {
  return decodeClipFrame(clip, index, WIDTH, HEIGHT);
}

describe('MoveNet heads decoding against the in-graph decoder (PETS09 excerpt)', function () {
  let dir: string;
  let inGraphFile: string;
  let frames: Frame[];
  before(async function () {
    const clip = demoClip('pets09-excerpt');
    if (clip === undefined || spawnSync('ffmpeg', ['-version']).status !== 0) {
      console.log(`      skipped: ${clip === undefined ? NO_CLIP_REASON : 'no ffmpeg on PATH'}`);
      this.skip();
    }
    frames = FRAMES.map((i) => decodeFrame(clip!, i));
    const source = join(modelsDir(), SHIPPED_CONVERSIONS[0]!.source);
    const graph = readTfjsGraph(await fileModelHandler(source).load!());
    const replaceConstants = moveNetForPeople(MOVENET_IN_GRAPH_ROWS);
    dir = mkdtempSync(join(tmpdir(), 'maskwatch-movenet-golden-'));
    inGraphFile = join(dir, 'movenet-in-graph-20.onnx');
    writeFileSync(inGraphFile, convertTfjsGraph(graph, { replaceConstants }).bytes);
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it(`gives the in-graph rows when it decodes the same ${MOVENET_IN_GRAPH_ROWS} strongest centres`, async () => {
    const heads = await ort.InferenceSession.create(
      join(modelsDir(), SHIPPED_CONVERSIONS[0]!.target),
    );
    const inGraph = await ort.InferenceSession.create(inGraphFile);
    try {
      for (const frame of frames) {
        const letterbox = fitLetterbox(frame, networkSizeFor(frame, 384));
        const { width, height } = letterbox.input;
        const pixels = Int32Array.from(await letterboxPixels(frame, letterbox));
        const feeds = { input: new ort.Tensor('int32', pixels, [1, height, width, 3]) };
        const expected = (await inGraph.run(feeds)).Identity!.data as Float32Array;
        const r = await heads.run(feeds);
        const data = (name: string): Float32Array => r[name]!.data as Float32Array;
        const rows = decodeMoveNetHeads(
          {
            gridHeight: Number(r.centers!.dims[1]),
            gridWidth: Number(r.centers!.dims[2]),
            centers: data(MOVENET_HEAD_OUTPUTS.centers),
            boxScales: data(MOVENET_HEAD_OUTPUTS.boxScales),
            boxOffsets: data(MOVENET_HEAD_OUTPUTS.boxOffsets),
            keypointHeatmaps: data(MOVENET_HEAD_OUTPUTS.keypointHeatmaps),
            keypointRegression: data(MOVENET_HEAD_OUTPUTS.keypointRegression),
            keypointOffsets: data(MOVENET_HEAD_OUTPUTS.keypointOffsets),
          },
          { maxPeople: MOVENET_IN_GRAPH_ROWS, minCenterScore: 0 },
        );
        expect(rows.length).to.equal(MOVENET_IN_GRAPH_ROWS * MOVENET_ROW_LENGTH);
        let largest = 0;
        rows.forEach((v, i) => (largest = Math.max(largest, Math.abs(v - expected[i]!))));
        console.log(
          `      frame ${frame.index}: largest |heads − in-graph| ${largest.toExponential(2)}`,
        );
        expect(largest).to.be.at.most(ROW_TOLERANCE);
      }
    } finally {
      await heads.release();
      await inGraph.release();
    }
  });

  it('finds the poses of the in-graph decoder with its default settings', async () => {
    const sessions: PoseSession[] = [];
    try {
      const heads = await createPoseSession({ model: 'movenet-multipose' });
      sessions.push(heads);
      const inGraph = await createPoseSession({ model: inGraphFile, layout: 'movenet-multipose' });
      sessions.push(inGraph);
      for (const frame of frames) {
        const ours = await heads.estimate(frame);
        const theirs = await inGraph.estimate(frame);
        expect(ours.length, `frame ${frame.index}: poses`).to.equal(theirs.length);
        for (const expected of theirs) {
          const pose = ours.find((p) => sameBox(p, expected));
          expect(
            pose,
            `frame ${frame.index}: a pose with box ${JSON.stringify(expected.box)}`,
          ).to.not.equal(undefined);
          expect(pose!.score).to.be.closeTo(expected.score, POSE_SCORE_TOLERANCE);
          for (const k of pose!.keypoints) {
            const e = expected.keypoints.find((q) => q.name === k.name);
            if (e === undefined) continue; // its score fell under minKeypointScore in one only
            expect(k.x, k.name).to.be.closeTo(e.x, PIXEL_TOLERANCE);
            expect(k.y, k.name).to.be.closeTo(e.y, PIXEL_TOLERANCE);
            expect(k.score, k.name).to.be.closeTo(e.score, KEYPOINT_SCORE_TOLERANCE);
          }
        }
      }
    } finally {
      for (const s of sessions) s.dispose();
    }
  });
});

function sameBox(a: Pose, b: Pose): boolean {
  const corners = ['x1', 'y1', 'x2', 'y2'] as const;
  return corners.every((c) => Math.abs(a.box[c] - b.box[c]) <= PIXEL_TOLERANCE);
}
