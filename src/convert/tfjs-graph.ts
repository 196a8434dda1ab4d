/**
 * A tfjs graph model as the converter reads it: the nodes of its GraphDef (JSON form, as the
 * tfjs converter writes it into model.json) and its weights, decoded from the weight shards with
 * their quantisation undone or, for float16, kept as half floats so they can be shipped small.
 */
import type { io } from '@tensorflow/tfjs-core';

/** One node of a TensorFlow GraphDef in the JSON form of model.json. */
export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

/** An attribute value as tfjs writes it: exactly one of these keys is set. */
export interface TfAttr {
  i?: string | number;
  f?: number;
  b?: boolean;
  s?: string;
  type?: string;
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
  list?: { i?: (string | number)[]; s?: string[]; f?: number[] };
  tensor?: unknown;
}

export type TfDtype = 'float32' | 'int32' | 'bool';

/** A constant of the graph, by element type; `half` holds float16 bits as stored. */
export type ConstValues =
  | { dtype: 'float32'; data: Float32Array; half?: Uint16Array }
  | { dtype: 'int32'; data: Int32Array }
  | { dtype: 'bool'; data: Uint8Array };

export type TfConstant = ConstValues & { shape: number[] };

export interface TfGraph {
  nodes: TfNode[];
  /** Every weight of the manifest, by name (the names of the graph's Const nodes). */
  constants: Map<string, TfConstant>;
  /** `signature.outputs` names in order, when the model states them (e.g. `Identity:0`). */
  signatureOutputs: string[];
  convertedBy?: string;
}

/** Builds the converter's view of a model from the artifacts tfjs would load. */
export function readTfjsGraph(artifacts: io.ModelArtifacts): TfGraph {
  const topology = artifacts.modelTopology as { node?: TfNode[] } | undefined;
  if (!topology || !Array.isArray(topology.node)) {
    throw new TypeError('modelTopology.node must be a list of graph nodes (a tfjs graph model)');
  }
  if (topology.node.length === 0) throw new RangeError('modelTopology.node is empty');
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData;
  if (!(data instanceof ArrayBuffer)) {
    throw new TypeError('weightData must be one ArrayBuffer (sharded weights are concatenated)');
  }
  const signature = artifacts.signature as { outputs?: Record<string, { name: string }> };
  return {
    nodes: topology.node,
    constants: decodeWeights(specs, data),
    signatureOutputs: Object.values(signature?.outputs ?? {}).map((o) => o.name),
    convertedBy: artifacts.convertedBy ?? undefined,
  };
}

function decodeWeights(
  specs: io.WeightsManifestEntry[],
  buffer: ArrayBuffer,
): Map<string, TfConstant> {
  const out = new Map<string, TfConstant>();
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const { value, bytes } = decodeOne(spec, buffer, offset, count);
    out.set(spec.name, { ...value, shape: [...spec.shape] } as TfConstant);
    offset += bytes;
  }
  if (offset !== buffer.byteLength) {
    throw new RangeError(
      `weights manifest describes ${offset} bytes but the shards hold ${buffer.byteLength}`,
    );
  }
  return out;
}

function decodeOne(
  spec: io.WeightsManifestEntry,
  buffer: ArrayBuffer,
  offset: number,
  count: number,
): { value: ConstValues; bytes: number } {
  const q = spec.quantization;
  const copy = (bytesPer: number): ArrayBuffer => buffer.slice(offset, offset + count * bytesPer);
  if (q?.dtype === 'float16') {
    const half = new Uint16Array(copy(2));
    return { value: { dtype: 'float32', data: halfToFloat(half), half }, bytes: count * 2 };
  }
  if (q?.dtype === 'uint8' || q?.dtype === 'uint16') {
    const bytesPer = q.dtype === 'uint8' ? 1 : 2;
    const raw = q.dtype === 'uint8' ? new Uint8Array(copy(1)) : new Uint16Array(copy(2));
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    const values = Float32Array.from(raw, (v) => v * scale + min);
    if (spec.dtype === 'int32') {
      return {
        value: { dtype: 'int32', data: Int32Array.from(values, Math.round) },
        bytes: count * bytesPer,
      };
    }
    return { value: { dtype: 'float32', data: values }, bytes: count * bytesPer };
  }
  if (q !== undefined) {
    throw new RangeError(`weight ${spec.name}: quantization dtype ${q.dtype} is not supported`);
  }
  switch (spec.dtype) {
    case 'float32':
      return { value: { dtype: 'float32', data: new Float32Array(copy(4)) }, bytes: count * 4 };
    case 'int32':
      return { value: { dtype: 'int32', data: new Int32Array(copy(4)) }, bytes: count * 4 };
    case 'bool':
      return { value: { dtype: 'bool', data: new Uint8Array(copy(1)) }, bytes: count };
    default:
      throw new RangeError(`weight ${spec.name}: dtype ${spec.dtype} is not supported`);
  }
}

/** IEEE 754 half → single precision, exactly (every half is representable as a float). */
export function halfToFloat(half: Uint16Array): Float32Array {
  const out = new Float32Array(half.length);
  for (let i = 0; i < half.length; i += 1) {
    const h = half[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) out[i] = mantissa === 0 ? sign * Infinity : NaN;
    else out[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

/** Single → half precision, rounding to nearest even; overflow goes to ±Infinity. */
export function floatToHalf(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < values.length; i += 1) {
    f32[0] = values[i]!;
    const x = u32[0]!;
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    const mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    const e = exponent - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
    } else if (e <= 0) {
      // Subnormal half (or zero): shift the implicit-one mantissa into place, rounding to even.
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      const m = mantissa | 0x800000;
      const shift = 14 - e;
      const rounded = roundShift(m, shift);
      out[i] = sign | rounded;
    } else {
      const rounded = roundShift(mantissa, 13);
      // A carry out of the mantissa bumps the exponent, which is what the bit layout does anyway.
      out[i] = sign | ((e << 10) + rounded);
    }
  }
  return out;
}

function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value - kept * 2 ** shift;
  const half = 2 ** (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/** Attribute readers: each names the node and attribute when the value is absent or malformed. */
export function attrInt(node: TfNode, key: string, fallback?: number): number {
  const v = node.attr?.[key]?.i;
  if (v === undefined) return required(node, key, fallback);
  return Number(v);
}

export function attrInts(node: TfNode, key: string, fallback?: number[]): number[] {
  const v = node.attr?.[key]?.list?.i;
  if (v === undefined) return required(node, key, fallback);
  return v.map(Number);
}

export function attrBool(node: TfNode, key: string, fallback?: boolean): boolean {
  const v = node.attr?.[key]?.b;
  if (v === undefined) return required(node, key, fallback);
  return v;
}

export function attrFloat(node: TfNode, key: string, fallback?: number): number {
  const v = node.attr?.[key]?.f;
  if (v === undefined) return required(node, key, fallback);
  return Number(v);
}

/** A string attribute (stored base64 in model.json), decoded. */
export function attrString(node: TfNode, key: string, fallback?: string): string {
  const v = node.attr?.[key]?.s;
  if (v === undefined) return required(node, key, fallback);
  return Buffer.from(v, 'base64').toString('utf8');
}

export function attrStrings(node: TfNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

/** A `DT_*` type attribute mapped to the element types the converter handles. */
export function attrDtype(node: TfNode, key: string, fallback?: TfDtype): TfDtype {
  const v = node.attr?.[key]?.type;
  if (v === undefined) return required(node, key, fallback);
  const known: Record<string, TfDtype> = {
    DT_FLOAT: 'float32',
    DT_INT32: 'int32',
    DT_BOOL: 'bool',
  };
  const dtype = known[v];
  if (dtype === undefined) {
    throw new RangeError(
      `node ${node.name} (${node.op}): attribute ${key} type ${v} is not supported`,
    );
  }
  return dtype;
}

function required<T>(node: TfNode, key: string, fallback: T | undefined): T {
  if (fallback === undefined) {
    throw new RangeError(`node ${node.name} (${node.op}) has no attribute ${key}`);
  }
  return fallback;
}
