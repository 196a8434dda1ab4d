import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxGraphBuilder, type OnnxDtype } from '../../src/convert/onnx-graph-builder';
import { fitLetterbox } from '../../src/core/letterbox';
import { decodeOpenPose, type OpenPoseMaps } from '../../src/core/openpose-decode';
import { OPENPOSE_LAYOUTS } from '../../src/core/openpose-layouts';
import { DEFAULT_MIN_KEYPOINT_SCORE, DEFAULT_MIN_POSE_SCORE } from '../../src/core/movenet-decode';
import type { Frame } from '../../src/core/types';
import { createPoseSession } from '../../src/runtime/pose-session';
import { renderOpenPose, standingPerson } from '../core/openpose-synthetic';

/** OpenPose's output stride. */
const STRIDE = 8;
const INPUT = { width: 192, height: 256 };
const GRID = { gridWidth: INPUT.width / STRIDE, gridHeight: INPUT.height / STRIDE };

/**
 * A tiny ONNX model shaped like an OpenPose export: one float32 NCHW image in, maps out (one
 * joint tensor, or heatmaps and PAFs apart). The maps are constants plus 0 × the image's mean,
 * so the model reads its input and ONNX Runtime runs a real graph.
 */
function tinyOpenPoseModel(maps: OpenPoseMaps, joint: boolean, inputDtype: OnnxDtype = 'float32') {
  const b = new OnnxGraphBuilder();
  const x = b.addInput({
    name: 'image',
    dtype: inputDtype,
    dims: [1, 3, INPUT.height, INPUT.width],
  });
  const mean = b.node('ReduceMean', [x], 'float32', [], 'mean')[0]!;
  const zero = b.node('Mul', [mean, b.float32Scalar(0)], 'float32', [], 'zero')[0]!;
  const planes = (values: ArrayLike<number>, base: string): string => {
    const channels = values.length / (GRID.gridWidth * GRID.gridHeight);
    const shape = [1, channels, GRID.gridHeight, GRID.gridWidth];
    const constant = b.weight(base, shape, Float32Array.from(values));
    return b.node('Add', [constant, zero], 'float32', [], `${base}/out`)[0]!;
  };
  if (joint) {
    const all = new Float32Array(maps.heatmaps.length + maps.pafs.length);
    all.set(Array.from(maps.heatmaps));
    all.set(Array.from(maps.pafs), maps.heatmaps.length);
    b.addOutput(planes(all, 'maps'), 'net_output');
  } else {
    b.addOutput(planes(maps.pafs, 'pafs'), 'paf');
    b.addOutput(planes(maps.heatmaps, 'heatmaps'), 'heatmap');
  }
  const metadata = {};
  return b.encode('tiny-openpose', {
    opsetVersion: 13,
    producerName: 'test',
    producerVersion: '0',
    docString: '',
    metadata,
  });
}

describe('OpenPose ONNX models', () => {
  let dir: string;
  const layout = OPENPOSE_LAYOUTS.coco18;
  const maps = renderOpenPose(
    [standingPerson(layout, 6, 2), standingPerson(layout, 17, 3)],
    layout,
    GRID,
  );
  const frame: Frame = {
    data: Buffer.alloc(INPUT.width * INPUT.height * 3, 90),
    ...INPUT,
    channels: 3,
    index: 0,
    timestampMs: 0,
    source: 'synthetic',
  };
  before(() => (dir = mkdtempSync(join(tmpdir(), 'maskwatch-openpose-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const joint of [true, false]) {
    it(`decodes ${joint ? 'one joint map tensor' : 'heatmap and PAF tensors'} into the people drawn`, async () => {
      const path = join(dir, `openpose-${joint}.onnx`);
      writeFileSync(path, tinyOpenPoseModel(maps, joint));
      const session = await createPoseSession({ model: path, layout: 'openpose-coco18' });
      try {
        const poses = await session.estimate(frame);
        expect(session.inputSize).to.deep.equal(INPUT);
        const expected = decodeOpenPose(maps, layout, STRIDE, fitLetterbox(frame, INPUT), {
          minPoseScore: DEFAULT_MIN_POSE_SCORE,
          minKeypointScore: DEFAULT_MIN_KEYPOINT_SCORE,
        });
        expect(poses).to.have.length(2);
        expect(poses).to.deep.equal(expected);
        for (const pose of poses) expect(pose.keypoints).to.have.length(17);
      } finally {
        session.dispose();
      }
    });
  }

  it('names the file and the layout when the maps have the wrong channel count', async () => {
    const path = join(dir, 'openpose-coco.onnx');
    writeFileSync(path, tinyOpenPoseModel(maps, true));
    let caught: unknown;
    await createPoseSession({ model: path, layout: 'openpose-body25' }).catch(
      (err: unknown) => (caught = err),
    );
    expect(String(caught))
      .to.include(path)
      .and.to.include('wrong outputs for the openpose-body25 layout: expected NCHW maps with 78');
  });

  it('names the file when the image input is not float32', async () => {
    const path = join(dir, 'openpose-int.onnx');
    const b = new OnnxGraphBuilder();
    const x = b.addInput({ name: 'image', dtype: 'int32', dims: [1, 3, 8, 8] });
    b.addOutput(b.cast(x, 'float32'), 'maps');
    const info = {
      opsetVersion: 13,
      producerName: 't',
      producerVersion: '0',
      docString: '',
      metadata: {},
    };
    writeFileSync(path, b.encode('bad', info));
    let caught: unknown;
    await createPoseSession({ model: path, layout: 'openpose-coco18' }).catch(
      (err: unknown) => (caught = err),
    );
    expect(String(caught))
      .to.include(path)
      .and.to.include('wrong input for the openpose-coco18 layout')
      .and.to.include('image:int32[1, 3, 8, 8]');
  });
});
