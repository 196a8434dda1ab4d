/**
 * What an ONNX pose model looks like from outside, per family: the input it takes, how a
 * letterboxed frame becomes that input, and which core decoder turns its outputs into poses.
 * Each layout also checks a loaded model against itself, so a model of another family fails at
 * load time with a message naming the file, not with nonsense poses.
 */
import type * as ort from 'onnxruntime-node';
import { networkSizeFor, type Letterbox, type Size } from '../core/letterbox';
import { decodeMoveNet } from '../core/movenet-decode';
import {
  decodeMoveNetHeads,
  DEFAULT_MIN_CENTER_SCORE,
  type MoveNetHeads,
} from '../core/movenet-heads-decode';
import { decodeOpenPose } from '../core/openpose-decode';
import { OPENPOSE_LAYOUTS, type OpenPoseLayout } from '../core/openpose-layouts';
import { decodePoseNet } from '../core/posenet-decode';
import type { Pose } from '../core/types';
import { ModelFileError } from './tfjs-file-io';

export type PoseLayout = 'movenet-multipose' | 'posenet' | 'openpose-coco18' | 'openpose-body25';

export const POSE_LAYOUTS: readonly PoseLayout[] = [
  'movenet-multipose',
  'posenet',
  'openpose-coco18',
  'openpose-body25',
];

export interface DecodeThresholds {
  minPoseScore: number;
  minKeypointScore: number;
}

export interface LayoutAdapter {
  readonly layout: PoseLayout;
  /** Network input for a frame at the configured long side (models with a fixed size ignore it). */
  inputSize(frame: Size, longSide: number): Size;
  /** Feeds for one letterboxed RGB image of `size`. */
  feeds(pixels: Buffer, size: Size): Record<string, ort.Tensor>;
  decode(
    results: ort.InferenceSession.ReturnType,
    letterbox: Letterbox,
    t: DecodeThresholds,
  ): Pose[];
}

type Tensor = typeof ort.Tensor;

/** A model's tensors as ONNX Runtime reports them, for checks and error messages. */
interface Signature {
  inputs: readonly ort.InferenceSession.ValueMetadata[];
  outputs: readonly ort.InferenceSession.ValueMetadata[];
}

export function describeSignature(sig: Signature): string {
  const one = (m: ort.InferenceSession.ValueMetadata): string =>
    m.isTensor
      ? `${m.name}:${m.type}[${m.shape.map((d) => (d === '' ? '?' : d)).join(', ')}]`
      : m.name;
  return `inputs ${sig.inputs.map(one).join(', ')}; outputs ${sig.outputs.map(one).join(', ')}`;
}

/** The adapter for `layout`, after checking that `session` (loaded from `file`) fits it. */
export function layoutAdapter(
  layout: PoseLayout,
  session: ort.InferenceSession,
  file: string,
  TensorClass: Tensor,
): LayoutAdapter {
  const sig = { inputs: session.inputMetadata, outputs: session.outputMetadata };
  switch (layout) {
    case 'movenet-multipose':
      return moveNet(sig, file, imageInput(sig, file, layout, 'int32'), TensorClass);
    case 'posenet':
      return poseNet(sig, file, imageInput(sig, file, layout, 'float32'), TensorClass);
    case 'openpose-coco18':
      return openPose(sig, file, OPENPOSE_LAYOUTS.coco18, layout, TensorClass);
    case 'openpose-body25':
      return openPose(sig, file, OPENPOSE_LAYOUTS.body25, layout, TensorClass);
  }
}

interface ImageInput {
  name: string;
  /** Fixed network size when the model states one, else undefined (any multiple of 32). */
  fixed?: Size;
}

/** The one NHWC RGB image input every layout here takes. */
function imageInput(sig: Signature, file: string, layout: PoseLayout, dtype: string): ImageInput {
  const [input] = sig.inputs;
  const ok =
    sig.inputs.length === 1 &&
    input?.isTensor === true &&
    input.type === dtype &&
    input.shape.length === 4 &&
    input.shape[3] === 3;
  if (!ok) {
    throw new ModelFileError(
      file,
      `wrong input for the ${layout} layout: expected one ${dtype} input [1, H, W, 3], ` +
        `got ${describeSignature(sig)}`,
    );
  }
  const [, h, w] = input.shape;
  const fixed =
    typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0
      ? { width: w, height: h }
      : undefined;
  return { name: input.name, fixed };
}

/**
 * ONNX output names of MoveNet MultiPose cut at its heads, as the shipped conversion writes them
 * (src/convert/shipped-conversions.ts); each is NHWC `[1, gridHeight, gridWidth, channels]`.
 */
export const MOVENET_HEAD_OUTPUTS = {
  centers: 'centers',
  boxScales: 'box_scales',
  boxOffsets: 'box_offsets',
  keypointHeatmaps: 'keypoint_heatmaps',
  keypointRegression: 'keypoint_regression',
  keypointOffsets: 'keypoint_offsets',
} as const satisfies Record<Exclude<keyof MoveNetHeads, 'gridHeight' | 'gridWidth'>, string>;

/**
 * MoveNet MultiPose comes in two forms: cut at its heads (the shipped file; decoded in core, any
 * number of people) or with the published in-graph decoding (one `[1, rows, 56]` output, as in
 * the TF Hub model or a conversion of it).
 */
function moveNet(
  sig: Signature,
  file: string,
  input: ImageInput,
  TensorClass: Tensor,
): LayoutAdapter {
  const names = sig.outputs.map((o) => o.name);
  const heads = Object.values(MOVENET_HEAD_OUTPUTS).every((n) => names.includes(n));
  const output = sig.outputs[0];
  const last = output?.isTensor ? output.shape[output.shape.length - 1] : undefined;
  const rows = sig.outputs.length === 1 && (last === undefined || last === '' || last === 56);
  if (!heads && !rows) {
    throw new ModelFileError(
      file,
      'wrong outputs for the movenet-multipose layout: expected the heads ' +
        `${Object.values(MOVENET_HEAD_OUTPUTS).join(', ')} or one [1, 6, 56] output, ` +
        `got ${describeSignature(sig)}`,
    );
  }
  return {
    layout: 'movenet-multipose',
    inputSize: (frame, longSide) => input.fixed ?? networkSizeFor(frame, longSide),
    feeds: (pixels, size) => ({
      [input.name]: new TensorClass('int32', Int32Array.from(pixels), [
        1,
        size.height,
        size.width,
        3,
      ]),
    }),
    decode: (results, letterbox, t) =>
      decodeMoveNet(
        heads ? decodeHeads(results, t) : (results[output!.name]!.data as Float32Array),
        letterbox,
        t,
      ),
  };
}

function decodeHeads(results: ort.InferenceSession.ReturnType, t: DecodeThresholds): Float32Array {
  const data = (name: string): Float32Array => results[name]!.data as Float32Array;
  const centers = results[MOVENET_HEAD_OUTPUTS.centers]!;
  return decodeMoveNetHeads(
    {
      gridHeight: Number(centers.dims[1]),
      gridWidth: Number(centers.dims[2]),
      centers: centers.data as Float32Array,
      boxScales: data(MOVENET_HEAD_OUTPUTS.boxScales),
      boxOffsets: data(MOVENET_HEAD_OUTPUTS.boxOffsets),
      keypointHeatmaps: data(MOVENET_HEAD_OUTPUTS.keypointHeatmaps),
      keypointRegression: data(MOVENET_HEAD_OUTPUTS.keypointRegression),
      keypointOffsets: data(MOVENET_HEAD_OUTPUTS.keypointOffsets),
    },
    // A person scores at most its centre, so no pose above minPoseScore is left out.
    { minCenterScore: Math.min(DEFAULT_MIN_CENTER_SCORE, t.minPoseScore) },
  );
}

/** PoseNet's output stride: one grid cell per 16 input pixels. */
const POSENET_STRIDE = 16;

function poseNet(
  sig: Signature,
  file: string,
  input: ImageInput,
  TensorClass: Tensor,
): LayoutAdapter {
  const byChannels = (channels: number): string[] =>
    sig.outputs
      .filter((o) => o.isTensor && o.shape[o.shape.length - 1] === channels)
      .map((o) => o.name);
  const [heatmap] = byChannels(17);
  const [offsets] = byChannels(34);
  const displacements = byChannels(32);
  const fwd = displacements.find((n) => /fwd/i.test(n)) ?? displacements[0];
  const bwd = displacements.find((n) => /bwd/i.test(n)) ?? displacements[1];
  if (!heatmap || !offsets || !fwd || !bwd || fwd === bwd) {
    throw new ModelFileError(
      file,
      'wrong outputs for the posenet layout: expected NHWC heatmap (17 channels), offsets (34) ' +
        `and forward and backward displacements (32 each), got ${describeSignature(sig)}`,
    );
  }
  return {
    layout: 'posenet',
    // PoseNet's grid aligns with the input when each side is a multiple of the stride plus one.
    inputSize: (frame, longSide) => {
      if (input.fixed) return input.fixed;
      const size = networkSizeFor(frame, longSide);
      return { width: size.width + 1, height: size.height + 1 };
    },
    feeds: (pixels, size) => ({
      // MobileNetV1 PoseNet takes RGB scaled to [-1, 1].
      [input.name]: new TensorClass(
        'float32',
        Float32Array.from(pixels, (v) => v / 127.5 - 1),
        [1, size.height, size.width, 3],
      ),
    }),
    decode: (results, letterbox, t) => {
      const heat = results[heatmap]!;
      return decodePoseNet(
        {
          heatmap: heat.data as Float32Array,
          offsets: results[offsets]!.data as Float32Array,
          displacementFwd: results[fwd]!.data as Float32Array,
          displacementBwd: results[bwd]!.data as Float32Array,
          gridHeight: Number(heat.dims[1]),
          gridWidth: Number(heat.dims[2]),
          stride: POSENET_STRIDE,
        },
        letterbox,
        t,
      );
    },
  };
}

/**
 * OpenPose networks (CMU's COCO and BODY_25 models and their ONNX exports) take BGR scaled to
 * [-0.5, 0.5) (value / 256 − 0.5), NCHW or NHWC, and give heatmaps and PAFs as NCHW planes on a
 * grid 8 times smaller than the input: either one tensor, heatmaps first, or two tensors.
 */
function openPose(
  sig: Signature,
  file: string,
  layout: OpenPoseLayout,
  name: PoseLayout,
  TensorClass: Tensor,
): LayoutAdapter {
  const input = sig.inputs[0];
  const shape = input?.isTensor ? input.shape : [];
  const nchw = shape.length === 4 && shape[1] === 3;
  const nhwc = shape.length === 4 && shape[3] === 3;
  if (sig.inputs.length !== 1 || !input?.isTensor || input.type !== 'float32' || !(nchw || nhwc)) {
    throw new ModelFileError(
      file,
      `wrong input for the ${name} layout: expected one float32 image input ` +
        `[1, 3, H, W] or [1, H, W, 3], got ${describeSignature(sig)}`,
    );
  }
  const channels = (m: ort.InferenceSession.ValueMetadata): unknown =>
    m.isTensor && m.shape.length === 4 ? m.shape[1] : undefined;
  const both = layout.heatmapChannels + layout.pafChannels;
  const joint = sig.outputs.find((o) => channels(o) === both);
  const heat = sig.outputs.find((o) => channels(o) === layout.heatmapChannels);
  const paf = sig.outputs.find((o) => channels(o) === layout.pafChannels);
  if (!joint && !(heat && paf)) {
    throw new ModelFileError(
      file,
      `wrong outputs for the ${name} layout: expected NCHW maps with ${both} channels, or ` +
        `${layout.heatmapChannels} heatmap and ${layout.pafChannels} PAF channels, ` +
        `got ${describeSignature(sig)}`,
    );
  }
  const [, d1, d2, d3] = shape;
  const [h, w] = nchw ? [d2, d3] : [d1, d2];
  const fixed = typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0;
  return {
    layout: name,
    inputSize: (frame, longSide) =>
      fixed ? { width: w as number, height: h as number } : networkSizeFor(frame, longSide),
    feeds: (pixels, size) => ({
      [input.name]: new TensorClass('float32', openPoseInput(pixels, size, nchw), [
        1,
        ...(nchw ? [3, size.height, size.width] : [size.height, size.width, 3]),
      ]),
    }),
    decode: (results, letterbox, t) => {
      const first = results[(joint ?? heat)!.name]!;
      const gridHeight = Number(first.dims[2]);
      const gridWidth = Number(first.dims[3]);
      const cells = gridHeight * gridWidth;
      const maps = joint
        ? {
            heatmaps: (first.data as Float32Array).subarray(0, layout.heatmapChannels * cells),
            pafs: (first.data as Float32Array).subarray(layout.heatmapChannels * cells),
          }
        : {
            heatmaps: first.data as Float32Array,
            pafs: results[paf!.name]!.data as Float32Array,
          };
      const stride = letterbox.input.width / gridWidth;
      return decodeOpenPose({ ...maps, gridHeight, gridWidth }, layout, stride, letterbox, t);
    },
  };
}

/** Packed RGB → BGR floats in OpenPose's range, planar (NCHW) or packed (NHWC). */
function openPoseInput(pixels: Buffer, size: Size, planar: boolean): Float32Array {
  const n = size.width * size.height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i += 1) {
    for (let c = 0; c < 3; c += 1) {
      const value = pixels[i * 3 + (2 - c)]! / 256 - 0.5;
      out[planar ? c * n + i : i * 3 + c] = value;
    }
  }
  return out;
}
