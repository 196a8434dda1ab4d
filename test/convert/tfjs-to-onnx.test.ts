import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as converter from '@tensorflow/tfjs-converter';
import * as ort from 'onnxruntime-node';
import { convertModelFile } from '../../src/convert/convert-model-file';
import {
  MOVENET_HEAD_TENSORS,
  MOVENET_IN_GRAPH_ROWS,
  moveNetForPeople,
  SHIPPED_CONVERSIONS,
} from '../../src/convert/shipped-conversions';
import {
  readTfjsGraph,
  type TfConstant,
  type TfGraph,
  type TfNode,
} from '../../src/convert/tfjs-graph';
import { convertTfjsGraph } from '../../src/convert/tfjs-to-onnx';
import { UnsupportedOpError } from '../../src/convert/tfjs-op-converters';
import { modelsDir } from '../../src/runtime/models-dir';
import { fileModelHandler } from '../../src/runtime/tfjs-file-io';
import { MOVENET_HEAD_OUTPUTS } from '../../src/runtime/pose-model-layouts';
import { ensureTfjsBackend, tf } from '../../src/runtime/tfjs-backend';
import { demoClip, NO_CLIP_REASON } from '../support/demo-media';

/** Largest |ONNX − tfjs| allowed, as a share of the output's range (max − min over the tensor). */
const RELATIVE_TOLERANCE = 1e-3;
/** Values per MoveNet row: 17 × (y, x, score), a box and a person score. */
const ROW = 56;
/** Largest rise of a MoveNet score when the graph keeps 20 candidate people instead of 6. */
const MAX_SCORE_RISE = 0.05;

/** Keypoint scores (every third of the first 51 values) and the person score (the last). */
function isScore(i: number): boolean {
  const j = i % ROW;
  return j === ROW - 1 || (j < 51 && j % 3 === 2);
}

/** Frames of the PETS09 excerpt compared (0-based). */
const FRAMES = [20, 120];

async function loadGraph(source: string): Promise<TfGraph> {
  return readTfjsGraph(await fileModelHandler(join(modelsDir(), source)).load!());
}

/** One frame of the clip, scaled (not letterboxed) to width × height, as packed RGB. */
function decodeFrame(clip: string, index: number, width: number, height: number): Buffer {
  const args = [
    '-loglevel',
    'error',
    '-i',
    clip,
    '-vf',
    `select=eq(n\\,${index}),scale=${width}:${height}`,
  ];
  args.push('-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-');
  const result = spawnSync('ffmpeg', args, { maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${String(result.stderr)}`);
  return result.stdout;
}

interface Comparison {
  maxAbsDiff: number;
  range: number;
}

function compare(onnx: ArrayLike<number>, reference: ArrayLike<number>): Comparison {
  expect(onnx.length).to.equal(reference.length);
  let maxAbsDiff = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < onnx.length; i += 1) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(onnx[i]! - reference[i]!));
    lo = Math.min(lo, reference[i]!);
    hi = Math.max(hi, reference[i]!);
  }
  return { maxAbsDiff, range: hi - lo };
}

describe('tfjs-to-onnx', function () {
  it('reproduces every shipped ONNX pose model byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maskwatch-convert-'));
    try {
      for (const c of SHIPPED_CONVERSIONS) {
        const out = join(dir, 'model.onnx');
        const { sha256 } = await convertModelFile(join(modelsDir(), c.source), out, c.options);
        const shipped = readFileSync(join(modelsDir(), c.target));
        expect(sha256, c.target).to.equal(c.sha256);
        expect(readFileSync(out).equals(shipped), `${c.target} as shipped`).to.equal(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the graph of a model cut at inner tensors to what they need', async () => {
    const graph = await loadGraph(SHIPPED_CONVERSIONS[1]!.source);
    const full = convertTfjsGraph(graph);
    const cut = convertTfjsGraph(graph, { outputs: ['MobilenetV1/heatmap_2/BiasAdd'] });
    expect(cut.outputs).to.deep.equal(['MobilenetV1/heatmap_2/BiasAdd']);
    expect(cut.nodeCount).to.be.below(full.nodeCount);
    expect(cut.bytes.byteLength).to.be.below(full.bytes.byteLength);
  });

  describe('matches tfjs on real frames (PETS09 excerpt)', function () {
    let clip: string | undefined;
    before(async function () {
      clip = demoClip('pets09-excerpt');
      if (clip === undefined || spawnSync('ffmpeg', ['-version']).status !== 0) {
        console.log(`      skipped: ${clip === undefined ? NO_CLIP_REASON : 'no ffmpeg on PATH'}`);
        this.skip();
      }
      await ensureTfjsBackend();
    });

    // MoveNet is compared twice: as published (six rows, decoded in the graph), and the shipped
    // file (cut at the heads) against the same inner tensors of the tfjs graph.
    const heads = Object.keys(MOVENET_HEAD_OUTPUTS) as (keyof typeof MOVENET_HEAD_OUTPUTS)[];
    const cases = [
      {
        name: 'MoveNet MultiPose as published',
        conversion: 0,
        width: 384,
        height: 288,
        dtype: 'int32',
        asShipped: false,
        tensors: undefined,
      },
      {
        name: 'MoveNet MultiPose heads (shipped)',
        conversion: 0,
        width: 384,
        height: 288,
        dtype: 'int32',
        asShipped: true,
        // ONNX output name → the tfjs tensor it is.
        tensors: Object.fromEntries(
          heads.map((k) => [MOVENET_HEAD_OUTPUTS[k], `${MOVENET_HEAD_TENSORS[k]}:0`]),
        ),
      },
      {
        name: 'PoseNet',
        conversion: 1,
        width: 385,
        height: 385,
        dtype: 'float32',
        asShipped: true,
        tensors: undefined,
      },
    ] as const;
    for (const c of cases) {
      it(`${c.name}: every output within ${RELATIVE_TOLERANCE} of its range`, async () => {
        const recipe = SHIPPED_CONVERSIONS[c.conversion]!;
        const model = await converter.loadGraphModel(
          fileModelHandler(join(modelsDir(), recipe.source)),
        );
        const session = c.asShipped
          ? await ort.InferenceSession.create(join(modelsDir(), recipe.target))
          : await ort.InferenceSession.create(
              convertTfjsGraph(await loadGraph(recipe.source)).bytes,
            );
        try {
          for (const index of FRAMES) {
            const rgb = decodeFrame(clip!, index, c.width, c.height);
            const values =
              c.dtype === 'int32'
                ? Int32Array.from(rgb)
                : Float32Array.from(rgb, (v) => v / 127.5 - 1);
            const shape = [1, c.height, c.width, 3];
            const input = tf.tensor(values, shape, c.dtype);
            const tensors: Record<string, string> =
              c.tensors ?? Object.fromEntries(model.outputs.map((o, k) => [k, o.name]));
            const names = session.outputNames.map((n, k) => tensors[n] ?? tensors[k]!);
            const outputs = model.execute(input, names) as tf.Tensor | tf.Tensor[];
            const reference = await Promise.all(
              (Array.isArray(outputs) ? outputs : [outputs]).map((t) => t.data()),
            );
            tf.dispose([input, outputs]);
            const feeds = { [session.inputNames[0]!]: new ort.Tensor(c.dtype, values, shape) };
            const results = await session.run(feeds);
            session.outputNames.forEach((name, k) => {
              const { maxAbsDiff, range } = compare(
                results[name]!.data as Float32Array,
                reference[k] as Float32Array,
              );
              console.log(
                `      frame ${index} ${name}: max |ONNX − tfjs| ${maxAbsDiff.toExponential(2)}` +
                  ` of range ${range.toFixed(3)} (${(maxAbsDiff / range).toExponential(2)})`,
              );
              expect(maxAbsDiff / range, name).to.be.at.most(RELATIVE_TOLERANCE);
            });
          }
        } finally {
          model.dispose();
          await session.release();
        }
      });
    }
  });

  it(`gives ${MOVENET_IN_GRAPH_ROWS} in-graph MoveNet rows whose first six are the published six`, async function () {
    const clip = demoClip('pets09-excerpt');
    if (clip === undefined) this.skip();
    const graph = await loadGraph(SHIPPED_CONVERSIONS[0]!.source);
    const published = await ort.InferenceSession.create(convertTfjsGraph(graph).bytes);
    const twenty = await ort.InferenceSession.create(
      convertTfjsGraph(graph, { replaceConstants: moveNetForPeople(MOVENET_IN_GRAPH_ROWS) }).bytes,
    );
    try {
      const pixels = Int32Array.from(decodeFrame(clip!, FRAMES[1]!, 384, 288));
      const feed = (s: ort.InferenceSession) => ({
        [s.inputNames[0]!]: new ort.Tensor('int32', pixels, [1, 288, 384, 3]),
      });
      const six = (await published.run(feed(published))).Identity!;
      const more = (await twenty.run(feed(twenty))).Identity!;
      expect(six.dims).to.deep.equal([1, 6, ROW]);
      expect(more.dims).to.deep.equal([1, MOVENET_IN_GRAPH_ROWS, ROW]);
      for (let i = 0; i < 6 * ROW; i += 1) {
        const a = (six.data as Float32Array)[i]!;
        const b = (more.data as Float32Array)[i]!;
        // Coordinates and boxes are equal; a keypoint's score is the best weighted heatmap value
        // over all candidate people, so more candidates can only raise it, and only a little.
        if (isScore(i)) expect(b - a).to.be.within(-1e-6, MAX_SCORE_RISE);
        else expect(b).to.be.closeTo(a, 1e-6);
      }
    } finally {
      await published.release();
      await twenty.release();
    }
  });

  describe('op semantics on small graphs', () => {
    /** A graph of one Placeholder `x` and the given nodes, constants by name. */
    function graph(
      nodes: TfNode[],
      constants: Record<string, TfConstant>,
      outputs: string[],
    ): TfGraph {
      const placeholder: TfNode = {
        name: 'x',
        op: 'Placeholder',
        attr: {
          dtype: { type: 'DT_INT32' },
          shape: { shape: { dim: [{ size: 2 }, { size: 3 }] } },
        },
      };
      const consts = Object.keys(constants).map((name) => ({ name, op: 'Const' }));
      return {
        nodes: [placeholder, ...consts, ...nodes],
        constants: new Map(Object.entries(constants)),
        signatureOutputs: outputs,
      };
    }
    const int32 = (values: number[], shape = [values.length]): TfConstant => ({
      dtype: 'int32',
      data: Int32Array.from(values),
      shape,
    });

    async function run(g: TfGraph, x: number[]): Promise<Record<string, number[]>> {
      const { bytes } = convertTfjsGraph(g);
      const session = await ort.InferenceSession.create(bytes);
      try {
        const results = await session.run({
          x: new ort.Tensor('int32', Int32Array.from(x), [2, 3]),
        });
        return Object.fromEntries(
          Object.entries(results).map(([k, t]) => [k, Array.from(t.data as Int32Array, Number)]),
        );
      } finally {
        await session.release();
      }
    }

    it('slices with new and shrunk axes as x[:, None, 1] does', async () => {
      const slice: TfNode = {
        name: 'y',
        op: 'StridedSlice',
        input: ['x', 'begin', 'end', 'strides'],
        // spec (:, newaxis, 1): begin/end masks on dim 0, new axis at 1, shrink at 2.
        attr: {
          begin_mask: { i: 1 },
          end_mask: { i: 1 },
          new_axis_mask: { i: 2 },
          shrink_axis_mask: { i: 4 },
        },
      };
      const g = graph(
        [slice],
        { begin: int32([0, 0, 1]), end: int32([0, 0, 2]), strides: int32([1, 1, 1]) },
        ['y'],
      );
      expect((await run(g, [1, 2, 3, 4, 5, 6])).y).to.deep.equal([2, 5]);
    });

    it('floor-divides negative integers as TensorFlow does', async () => {
      const div: TfNode = { name: 'q', op: 'FloorDiv', input: ['x', 'd'] };
      const g = graph([div], { d: int32([2]) }, ['q']);
      expect((await run(g, [-3, -2, -1, 1, 2, 3])).q).to.deep.equal([-2, -1, -1, 0, 1, 1]);
    });

    it('packs and unpacks along an axis', async () => {
      const unpack: TfNode = {
        name: 'u',
        op: 'Unpack',
        input: ['x'],
        attr: { num: { i: 3 }, axis: { i: 1 } },
      };
      const pack: TfNode = { name: 'p', op: 'Pack', input: ['u:2', 'u'], attr: { axis: { i: 0 } } };
      const g = graph([unpack, pack], {}, ['p', 'u:1']);
      const out = await run(g, [1, 2, 3, 4, 5, 6]);
      expect(out.p).to.deep.equal([3, 6, 1, 4]);
      expect(out['u:1']).to.deep.equal([2, 5]);
    });

    it('names the node and op it cannot convert', () => {
      const g = graph([{ name: 'weird', op: 'NonMaxSuppressionV5', input: ['x'] }], {}, ['weird']);
      expect(() => convertTfjsGraph(g)).to.throw(
        UnsupportedOpError,
        'node weird (NonMaxSuppressionV5): op not supported by the converter',
      );
    });
  });
});
