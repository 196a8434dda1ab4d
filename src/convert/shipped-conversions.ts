/**
 * How each shipped ONNX pose model is made from its tfjs source in models/: the one recipe that
 * `scripts/convert-pose-models.mjs`, the model cards and the reproduction test all use.
 */
import { MOVENET_HEAD_OUTPUTS } from '../runtime/pose-model-layouts';
import type { ConstantReplacement, ConvertOptions } from './tfjs-to-onnx';

export interface ShippedConversion {
  /** tfjs model.json, relative to models/. */
  source: string;
  /** ONNX file written, relative to models/. */
  target: string;
  options: ConvertOptions;
  /** sha256 of `target` as shipped; the converter must reproduce it byte for byte. */
  sha256: string;
}

/**
 * MoveNet MultiPose cut at its heads: the tensors of the published graph that the in-graph
 * decoding starts from, by the ONNX output name each gets (src/core/movenet-heads-decode.ts
 * decodes them). The two heatmaps are taken after their sigmoid, which is cheap in the graph.
 */
export const MOVENET_HEAD_TENSORS: Record<keyof typeof MOVENET_HEAD_OUTPUTS, string> = {
  centers: 'StatefulPartitionedCall/Sigmoid',
  boxScales: 'StatefulPartitionedCall/box_scale_0/conv2d_5/BiasAdd',
  boxOffsets: 'StatefulPartitionedCall/box_offset_0/conv2d_6/BiasAdd',
  keypointHeatmaps: 'StatefulPartitionedCall/Sigmoid_1',
  keypointRegression: 'StatefulPartitionedCall/kpt_regress_0/conv2d_8/BiasAdd',
  keypointOffsets: 'StatefulPartitionedCall/kpt_offset_0/conv2d_9/BiasAdd',
};

function moveNetHeads(): ConvertOptions {
  const keys = Object.keys(MOVENET_HEAD_OUTPUTS) as (keyof typeof MOVENET_HEAD_OUTPUTS)[];
  return {
    outputs: keys.map((k) => MOVENET_HEAD_TENSORS[k]),
    outputNames: keys.map((k) => MOVENET_HEAD_OUTPUTS[k]),
  };
}

/**
 * Rows of the in-graph decoder, when it is converted with its limit raised. The published graph
 * keeps the six best person centres (TopK with k = 6) and carries that 6 in eighteen constants:
 * shapes, a batch-index vector, two keypoint-index vectors and a zero tensor. Every centre is
 * decoded on its own, so rewriting them gives more rows whose first six are exactly the original
 * output. The 20-row conversion was the default model before the decoding moved out of the graph;
 * it stays the reference the heads decoder is checked against (test/runtime/movenet-heads-golden.test.ts).
 */
export const MOVENET_IN_GRAPH_ROWS = 20;

const MOVENET_KEYPOINTS = 17;
const MOVENET_PUBLISHED_PEOPLE = 6;

/** The MoveNet MultiPose constants that hold its six-person limit, rewritten for `k` people. */
export function moveNetForPeople(k: number): Record<string, ConstantReplacement> {
  const prefix = 'StatefulPartitionedCall/';
  const out: Record<string, ConstantReplacement> = {};
  const shapes: Record<string, number[]> = {
    Reshape_6: [1, 6, 2],
    Reshape_7: [1, 6, 2],
    Reshape_9: [6, 17, 2],
    Reshape_10: [6, 1],
    Reshape_11: [6, 1],
    Reshape_12: [1, 1, 6],
    Reshape_13: [1, 1, 6],
    Reshape_14: [1, 1, 6],
    Reshape_15: [1, 1, 6],
    Reshape_18: [1, 6, 17, 2],
    Reshape_20: [1, 6, 17],
    Reshape_22: [1, 6, -1],
  };
  for (const [name, dims] of Object.entries(shapes)) {
    const values = dims.map((d) => (d === MOVENET_PUBLISHED_PEOPLE ? k : d));
    out[`${prefix}${name}/shape`] = { shape: [dims.length], values };
  }
  // Heatmap cells × (person, keypoint) pairs, for the arg-max over cells.
  out[`${prefix}Reshape_16/shape`] = { shape: [2], values: [-1, k * MOVENET_KEYPOINTS] };
  out[`${prefix}TopKV2/k`] = { shape: [], values: [k] };
  out[`${prefix}Reshape_3`] = { shape: [k], values: new Array<number>(k).fill(0) };
  const keypointIndex = Array.from(
    { length: k * MOVENET_KEYPOINTS },
    (_, i) => i % MOVENET_KEYPOINTS,
  );
  for (const name of ['Reshape_17', 'Reshape_19']) {
    out[`${prefix}${name}`] = { shape: [k * MOVENET_KEYPOINTS], values: keypointIndex };
  }
  out[`${prefix}zeros_like`] = {
    shape: [1, k, MOVENET_KEYPOINTS],
    values: new Array<number>(k * MOVENET_KEYPOINTS).fill(0),
  };
  return out;
}

export const SHIPPED_CONVERSIONS: readonly ShippedConversion[] = [
  {
    source: 'movenet-multipose/movenet-multipose.json',
    target: 'movenet-multipose/movenet-multipose.onnx',
    // The weights are float16 in the source already and stay float16.
    options: moveNetHeads(),
    sha256: 'dad09f1e599d41bb5d6343a2680ccd71c41622f27b46259c66afb930ff7e87e2',
  },
  {
    source: 'posenet/posenet.json',
    target: 'posenet/posenet.onnx',
    // Exported at 385×385; any size of the form 16k + 1 works, so height and width are dynamic.
    // float32 kept: float16 weights move its outputs by 2–3 % of their range.
    options: { dynamicSize: true },
    sha256: 'c9c51f06c66e194695651452f283bcdabafa55704d537fa633581abaf7cda5d6',
  },
];
