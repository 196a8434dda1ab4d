/**
 * Builds an ONNX graph node by node and serialises it with the ONNX protobuf schema (the
 * `onnx-proto` package), so the file format is never written by hand. It keeps what the op
 * converters need to know about each tensor: its element type, and its values when it is a
 * constant (shape arguments, axes and the like are folded at conversion time).
 */
import { onnx } from 'onnx-proto';

export type OnnxDtype = 'float32' | 'float16' | 'int32' | 'int64' | 'bool';

const ONNX_TYPE: Record<OnnxDtype, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** Values of a folded constant: numbers for every type (int64 values fit a double here). */
export interface KnownConstant {
  dtype: OnnxDtype;
  shape: number[];
  values: number[];
}

/** ONNX attribute constructors, so each attribute's type is explicit at the call site. */
export const attr = {
  int: (name: string, i: number): onnx.IAttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.INT,
    i,
  }),
  ints: (name: string, ints: number[]): onnx.IAttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.INTS,
    ints,
  }),
  float: (name: string, f: number): onnx.IAttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.FLOAT,
    f,
  }),
  string: (name: string, s: string): onnx.IAttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.STRING,
    s: Buffer.from(s, 'utf8'),
  }),
};

/** NHWC → NCHW and back: TensorFlow graphs are channels-last, ONNX convolutions channels-first. */
export const TO_NCHW = [0, 3, 1, 2];
export const TO_NHWC = [0, 2, 3, 1];

export interface GraphIO {
  name: string;
  dtype: OnnxDtype;
  /** Dimensions; a string names a dynamic dimension. Absent: shape not stated. */
  dims?: (number | string)[];
}

export interface ModelInfo {
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString: string;
  metadata: Record<string, string>;
}

/** ONNX IR version of the onnx-proto schema used (ONNX 1.10). */
const IR_VERSION = 8;

export class OnnxGraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly dtypes = new Map<string, OnnxDtype>();
  private readonly constants = new Map<string, KnownConstant>();
  private readonly used = new Set<string>();
  /** Names kept for the source graph's own tensors, so no helper tensor takes one first. */
  private readonly reserved = new Set<string>();
  /** Transposes already made, so a tensor converted to a layout twice is converted once. */
  private readonly transposed = new Map<string, string>();
  private readonly inputs: GraphIO[] = [];
  private readonly outputs: GraphIO[] = [];
  private readonly sharedConstants = new Map<string, string>();

  /** A fresh tensor or node name derived from `base`. */
  uniqueName(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name) || this.reserved.has(name); k += 1) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Keeps `names` for outputs that will be created under exactly those names. */
  reserve(names: Iterable<string>): void {
    for (const name of names) this.reserved.add(name);
  }

  addInput(io: GraphIO): string {
    this.used.add(io.name);
    this.dtypes.set(io.name, io.dtype);
    this.inputs.push(io);
    return io.name;
  }

  /**
   * Marks `tensor` as a graph output, under exactly `name` (an Identity renames it when they
   * differ; a name already taken is an error).
   */
  addOutput(tensor: string, name: string): void {
    const dtype = this.dtypeOf(tensor);
    const source =
      tensor === name ? tensor : this.node('Identity', [tensor], dtype, [], name, [name])[0]!;
    this.outputs.push({ name: source, dtype });
  }

  dtypeOf(tensor: string): OnnxDtype {
    const dtype = this.dtypes.get(tensor);
    if (dtype === undefined) throw new RangeError(`tensor ${tensor} is not defined in the graph`);
    return dtype;
  }

  /** The tensor's values when it is a constant known at conversion time. */
  constantOf(tensor: string): KnownConstant | undefined {
    return this.constants.get(tensor);
  }

  /**
   * Appends one node and returns its output names. `outputs` is a count of outputs (named after
   * `base`) or their names; every output gets `dtype` unless `dtypes` gives one per output.
   */
  node(
    opType: string,
    inputs: string[],
    dtype: OnnxDtype | OnnxDtype[],
    attributes: onnx.IAttributeProto[] = [],
    base: string = opType,
    outputs: number | string[] = 1,
  ): string[] {
    const names =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, (_, k) =>
            this.uniqueName(k === 0 ? base : `${base}:${k}`),
          )
        : outputs.map((n) => this.claim(n));
    names.forEach((n, k) => this.dtypes.set(n, Array.isArray(dtype) ? dtype[k]! : dtype));
    this.nodes.push({
      name: this.uniqueName(`${names[0]}/${opType}`),
      opType,
      input: inputs,
      output: names,
      attribute: attributes,
    });
    return names;
  }

  /** A constant tensor; equal small constants are stored once. */
  constant(dtype: OnnxDtype, shape: number[], values: ArrayLike<number>, base = 'const'): string {
    const list = Array.from(values);
    const key = list.length <= 64 ? `${dtype}[${shape.join(',')}]:${list.join(',')}` : undefined;
    const shared = key === undefined ? undefined : this.sharedConstants.get(key);
    if (shared !== undefined) return shared;
    const name = this.uniqueName(base);
    this.initializers.push(tensorProto(name, dtype, shape, list));
    this.dtypes.set(name, dtype);
    this.constants.set(name, { dtype, shape: [...shape], values: list });
    if (key !== undefined) this.sharedConstants.set(key, name);
    return name;
  }

  int64(values: number[], base = 'const_i64'): string {
    return this.constant('int64', [values.length], values, base);
  }

  int64Scalar(value: number, base = 'const_i64'): string {
    return this.constant('int64', [], [value], base);
  }

  float32Scalar(value: number, base = 'const_f32'): string {
    return this.constant('float32', [], [value], base);
  }

  /**
   * A float weight. Given its float16 bits, it is stored as float16 (half the bytes) and cast
   * to float32 inside the graph; ONNX Runtime folds that cast once, when the session loads.
   */
  weight(base: string, shape: number[], values: Float32Array, half?: Uint16Array): string {
    const name = this.uniqueName(base);
    if (half === undefined) {
      this.initializers.push(rawTensor(name, 'float32', shape, values));
      this.dtypes.set(name, 'float32');
      return name;
    }
    this.initializers.push(rawTensor(name, 'float16', shape, half));
    this.dtypes.set(name, 'float16');
    return this.node(
      'Cast',
      [name],
      'float32',
      [attr.int('to', ONNX_TYPE.float32)],
      `${base}/f32`,
    )[0]!;
  }

  /** `tensor` cast to `dtype` (itself when it already is); constants are folded. */
  cast(tensor: string, dtype: OnnxDtype): string {
    if (this.dtypeOf(tensor) === dtype) return tensor;
    const known = this.constantOf(tensor);
    if (known !== undefined && dtype !== 'float16') {
      const values = dtype === 'bool' ? known.values.map((v) => (v ? 1 : 0)) : known.values;
      const rounded = dtype === 'int32' || dtype === 'int64' ? values.map(Math.trunc) : values;
      return this.constant(dtype, known.shape, rounded, `${tensor}/${dtype}`);
    }
    return this.node(
      'Cast',
      [tensor],
      dtype,
      [attr.int('to', ONNX_TYPE[dtype])],
      `${tensor}/${dtype}`,
    )[0]!;
  }

  /** `tensor` transposed by `perm`; a transpose that undoes the one which made `tensor` is skipped. */
  transpose(tensor: string, perm: number[], name?: string): string {
    const key = `${tensor}|${perm.join(',')}`;
    const done = this.transposed.get(key);
    if (done !== undefined && name === undefined) return done;
    const dtype = this.dtypeOf(tensor);
    const attributes = [attr.ints('perm', perm)];
    const outputs = name === undefined ? 1 : [name];
    const out = this.node('Transpose', [tensor], dtype, attributes, `${tensor}/T`, outputs)[0]!;
    this.transposed.set(key, out);
    // The inverse of this transpose is the tensor we started from.
    this.transposed.set(`${out}|${inversePermutation(perm).join(',')}`, tensor);
    return out;
  }

  /** Serialises the graph as an ONNX model file; nodes and constants no output needs are left out. */
  encode(graphName: string, info: ModelInfo): Uint8Array {
    const { nodes, initializers } = this.live();
    const model: onnx.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: info.opsetVersion }],
      producerName: info.producerName,
      producerVersion: info.producerVersion,
      docString: info.docString,
      graph: {
        name: graphName,
        node: nodes,
        initializer: initializers,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
      metadataProps: Object.entries(info.metadata).map(([key, value]) => ({ key, value })),
    };
    return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
  }

  /** Nodes written to the file (after dead ones are dropped). */
  get nodeCount(): number {
    return this.live().nodes.length;
  }

  /** The nodes the outputs depend on, in their original order, and the constants they read. */
  private live(): { nodes: onnx.INodeProto[]; initializers: onnx.ITensorProto[] } {
    const needed = new Set(this.outputs.map((o) => o.name));
    const kept: onnx.INodeProto[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i -= 1) {
      const node = this.nodes[i]!;
      if (!(node.output ?? []).some((o) => needed.has(o))) continue;
      kept.push(node);
      for (const input of node.input ?? []) needed.add(input);
    }
    return {
      nodes: kept.reverse(),
      initializers: this.initializers.filter((t) => needed.has(t.name!)),
    };
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new RangeError(`tensor name ${name} is used twice`);
    this.used.add(name);
    return name;
  }
}

function inversePermutation(perm: number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}

function valueInfo(io: GraphIO): onnx.IValueInfoProto {
  const shape =
    io.dims === undefined
      ? undefined
      : {
          dim: io.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })),
        };
  return { name: io.name, type: { tensorType: { elemType: ONNX_TYPE[io.dtype], shape } } };
}

function tensorProto(
  name: string,
  dtype: OnnxDtype,
  shape: number[],
  values: number[],
): onnx.ITensorProto {
  switch (dtype) {
    case 'float32':
      return rawTensor(name, dtype, shape, Float32Array.from(values));
    case 'int32':
      return rawTensor(name, dtype, shape, Int32Array.from(values));
    case 'int64':
      return rawTensor(
        name,
        dtype,
        shape,
        BigInt64Array.from(values, (v) => BigInt(v)),
      );
    case 'bool':
      return rawTensor(
        name,
        dtype,
        shape,
        Uint8Array.from(values, (v) => (v ? 1 : 0)),
      );
    case 'float16':
      throw new RangeError(`float16 constant ${name} must be given as bits (use weight())`);
  }
}

/** Tensor with little-endian raw bytes (what ONNX specifies for raw_data; x86 and ARM are LE). */
function rawTensor(
  name: string,
  dtype: OnnxDtype,
  shape: number[],
  values: ArrayBufferView,
): onnx.ITensorProto {
  return {
    name,
    dims: shape,
    dataType: ONNX_TYPE[dtype],
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

export { ONNX_TYPE };
