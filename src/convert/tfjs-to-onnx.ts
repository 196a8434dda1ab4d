/**
 * tfjs graph model → ONNX model. Walks the graph back from the requested outputs (so a model can
 * be cut at inner tensors), converts each node with its op converter and serialises the result.
 * The output depends only on the input files and the options: converting the same model twice
 * gives the same bytes, which is how shipped files are checked against their source.
 */
import { OnnxGraphBuilder, type OnnxDtype } from './onnx-graph-builder';
import { OP_CONVERTERS, UnsupportedOpError, type OpContext } from './tfjs-op-converters';
import { attrDtype, floatToHalf, type TfConstant, type TfGraph, type TfNode } from './tfjs-graph';

/** ONNX opset the converters target (ONNX Runtime ≥ 1.8 runs it). */
export const OPSET_VERSION = 13;
/** Bumped whenever a change of the converter changes the bytes it writes. */
export const CONVERTER_VERSION = '1';

export interface ConvertOptions {
  /** Tensors to expose as outputs (`node` or `node:k`); default: the model's signature outputs. */
  outputs?: string[];
  /** Names the outputs get in the ONNX model, one per output in order (default: their tensors'). */
  outputNames?: string[];
  /**
   * Store float32 weights with at least this many elements as float16 (0: as they come). Weights
   * the source already stores as float16 stay float16 either way.
   */
  float16MinElements?: number;
  /**
   * Constants to replace, by name, keeping their element type (graph surgery on a limit baked
   * into the graph, such as MoveNet MultiPose's six output rows).
   */
  replaceConstants?: Record<string, ConstantReplacement>;
  /** Make height and width of 4-D NHWC inputs dynamic, for graphs exported at one fixed size. */
  dynamicSize?: boolean;
  /** Free text and key/value pairs recorded in the model (source, licence, checksum). */
  docString?: string;
  metadata?: Record<string, string>;
}

export interface ConstantReplacement {
  shape: number[];
  /** Row-major, as many as the shape holds. */
  values: number[];
}

export interface ConvertResult {
  bytes: Uint8Array;
  inputs: string[];
  outputs: string[];
  /** ONNX nodes written (before ONNX Runtime's own graph optimisations). */
  nodeCount: number;
  /** TF ops converted, by count. */
  ops: Record<string, number>;
}

interface TensorRef {
  node: string;
  index: number;
}

/** `name`, `name:1` or `^name` (a control input) → node and output index. */
function parseRef(ref: string): TensorRef {
  const clean = ref.startsWith('^') ? ref.slice(1) : ref;
  const m = /^(.*):(\d+)$/.exec(clean);
  return m ? { node: m[1]!, index: Number(m[2]) } : { node: clean, index: 0 };
}

function tensorName(ref: TensorRef): string {
  return ref.index === 0 ? ref.node : `${ref.node}:${ref.index}`;
}

export function convertTfjsGraph(source: TfGraph, options: ConvertOptions = {}): ConvertResult {
  const graph = withReplacedConstants(source, options.replaceConstants ?? {});
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const wanted = (options.outputs ?? graph.signatureOutputs).map(parseRef);
  if (wanted.length === 0) {
    throw new RangeError('outputs: the model states no signature outputs; name them (--outputs)');
  }
  for (const ref of wanted) {
    if (!byName.has(ref.node))
      throw new RangeError(`outputs: no node named ${ref.node} in the graph`);
  }
  const order = topologicalOrder(wanted, byName);
  const b = new OnnxGraphBuilder();
  b.reserve(order.flatMap((n) => outputNames(n, graph)));
  const ops: Record<string, number> = {};
  const ctx = context(b, graph, byName, options.float16MinElements ?? 0);
  const inputs: string[] = [];
  for (const node of order) {
    ops[node.op] = (ops[node.op] ?? 0) + 1;
    if (node.op === 'Const') continue; // materialised where it is used
    if (node.op === 'Placeholder') {
      inputs.push(addPlaceholder(b, node, options.dynamicSize ?? false));
      continue;
    }
    const convert = OP_CONVERTERS[node.op];
    if (convert === undefined) {
      throw new UnsupportedOpError(node, 'op not supported by the converter');
    }
    convert(ctx, node, outputNames(node, graph));
  }
  const tensors = wanted.map(tensorName);
  const outputs = outputNamesFor(tensors, options.outputNames);
  tensors.forEach((t, k) => b.addOutput(ctx.tensor(t), outputs[k]!));
  const bytes = b.encode('tfjs-graph', {
    opsetVersion: OPSET_VERSION,
    producerName: 'maskwatch tfjs-to-onnx',
    producerVersion: CONVERTER_VERSION,
    docString: options.docString ?? '',
    metadata: options.metadata ?? {},
  });
  return { bytes, inputs, outputs, nodeCount: b.nodeCount, ops };
}

/** The ONNX output names: as asked, or each tensor's own name without a `:0`. */
function outputNamesFor(tensors: string[], asked: string[] | undefined): string[] {
  if (asked === undefined) return tensors.map((t) => t.replace(/:0$/, ''));
  if (asked.length !== tensors.length || new Set(asked).size !== asked.length) {
    throw new RangeError(
      `outputNames must give ${tensors.length} distinct names, one per output, ` +
        `got ${JSON.stringify(asked)}`,
    );
  }
  return asked;
}

function withReplacedConstants(
  graph: TfGraph,
  replace: Record<string, ConstantReplacement>,
): TfGraph {
  const entries = Object.entries(replace);
  if (entries.length === 0) return graph;
  const constants = new Map(graph.constants);
  for (const [name, { shape, values }] of entries) {
    const c = constants.get(name);
    if (c === undefined) throw new RangeError(`replaceConstants: no constant named ${name}`);
    const count = shape.reduce((p, q) => p * q, 1);
    if (values.length !== count || (c.dtype !== 'float32' && !values.every(Number.isInteger))) {
      throw new RangeError(
        `replaceConstants.${name} must hold ${count} ${c.dtype} values for shape ` +
          `${JSON.stringify(shape)}, got ${values.length}`,
      );
    }
    const data =
      c.dtype === 'float32'
        ? Float32Array.from(values)
        : c.dtype === 'int32'
          ? Int32Array.from(values)
          : Uint8Array.from(values);
    constants.set(name, { dtype: c.dtype, data, shape } as TfConstant);
  }
  return { ...graph, constants };
}

/** The ONNX names of a node's outputs: as many as other nodes (or the caller) refer to. */
function outputNames(node: TfNode, graph: TfGraph): string[] {
  const count = outputCountOf(node, graph);
  return Array.from({ length: count }, (_, k) => tensorName({ node: node.name, index: k }));
}

const outputCounts = new WeakMap<TfGraph, Map<string, number>>();

function outputCountOf(node: TfNode, graph: TfGraph): number {
  let counts = outputCounts.get(graph);
  if (counts === undefined) {
    counts = new Map();
    for (const n of graph.nodes) {
      for (const ref of (n.input ?? []).filter((i) => !i.startsWith('^')).map(parseRef)) {
        counts.set(ref.node, Math.max(counts.get(ref.node) ?? 1, ref.index + 1));
      }
    }
    outputCounts.set(graph, counts);
  }
  const fromAttr = Number(node.attr?.num?.i ?? node.attr?.num_split?.i ?? 0);
  return Math.max(counts.get(node.name) ?? 1, fromAttr, node.op === 'TopKV2' ? 2 : 1);
}

function context(
  b: OnnxGraphBuilder,
  graph: TfGraph,
  byName: Map<string, TfNode>,
  float16MinElements: number,
): OpContext & { tensor(ref: string): string } {
  const materialised = new Map<string, string>();
  const constantOf = (node: TfNode, ref: string): TfConstant => {
    const c = graph.constants.get(parseRef(ref).node);
    if (c === undefined) {
      throw new UnsupportedOpError(node, `input ${ref} must be a constant of the weights manifest`);
    }
    return c;
  };
  const tensor = (ref: string): string => {
    const parsed = parseRef(ref);
    const source = byName.get(parsed.node);
    if (source?.op !== 'Const') return tensorName(parsed);
    const done = materialised.get(parsed.node);
    if (done !== undefined) return done;
    const made = materialiseConstant(b, parsed.node, constantOf(source, ref), float16MinElements);
    materialised.set(parsed.node, made);
    return made;
  };
  const refOf = (node: TfNode, k: number): string => {
    const refs = (node.input ?? []).filter((i) => !i.startsWith('^'));
    const ref = refs[k];
    if (ref === undefined) throw new UnsupportedOpError(node, `has no input ${k}`);
    return ref;
  };
  return {
    b,
    float16MinElements,
    tensor,
    input: (node, k) => tensor(refOf(node, k)),
    tfConstant: (node, k) => constantOf(node, refOf(node, k)),
    known: (node, k) => {
      const ref = refOf(node, k);
      const source = byName.get(parseRef(ref).node);
      if (source?.op === 'Const') return Array.from(constantOf(node, ref).data);
      return b.constantOf(tensor(ref))?.values;
    },
  };
}

/** Small constants stay exact (float32, and known to later folding); large float ones are weights. */
const LARGEST_EXACT_CONSTANT = 64;

function materialiseConstant(
  b: OnnxGraphBuilder,
  name: string,
  c: TfConstant,
  float16MinElements: number,
): string {
  if (c.dtype === 'float32' && c.data.length > LARGEST_EXACT_CONSTANT) {
    const wantsHalf = float16MinElements > 0 && c.data.length >= float16MinElements;
    const half = c.half ?? (wantsHalf ? floatToHalf(c.data) : undefined);
    return b.weight(name, c.shape, c.data, half);
  }
  const dtype: OnnxDtype = c.dtype;
  return b.constant(dtype, c.shape, c.data, name);
}

const NHWC_DIM_NAMES = ['batch', 'height', 'width', 'channels'];

function addPlaceholder(b: OnnxGraphBuilder, node: TfNode, dynamicSize: boolean): string {
  const dims = (node.attr?.shape?.shape?.dim ?? []).map((d, k, all) => {
    const size = Number(d.size);
    const spatial = all.length === 4 && (k === 1 || k === 2);
    if (size >= 0 && !(dynamicSize && spatial)) return size;
    return all.length === 4 ? NHWC_DIM_NAMES[k]! : `dim${k}`;
  });
  const dtype = attrDtype(node, 'dtype');
  return b.addInput({ name: node.name, dtype, dims });
}

/** Nodes the outputs depend on, each after its inputs (iterative DFS: graphs can be deep). */
function topologicalOrder(outputs: TensorRef[], byName: Map<string, TfNode>): TfNode[] {
  const order: TfNode[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: { name: string; expanded: boolean }[] = outputs.map((o) => ({
    name: o.node,
    expanded: false,
  }));
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (state.get(top.name) === 'done') continue;
    const node = byName.get(top.name);
    if (node === undefined) throw new RangeError(`graph refers to a missing node ${top.name}`);
    if (top.expanded) {
      state.set(top.name, 'done');
      order.push(node);
      continue;
    }
    if (state.get(top.name) === 'open') continue; // already on the stack below
    state.set(top.name, 'open');
    stack.push({ name: top.name, expanded: true });
    for (const ref of (node.input ?? []).filter((i) => !i.startsWith('^')).map(parseRef)) {
      if (state.get(ref.node) === undefined) stack.push({ name: ref.node, expanded: false });
    }
  }
  return order;
}
