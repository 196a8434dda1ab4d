/**
 * The shipped mask classifier: milliseconds per face at batch 1, 8 and 32, whole
 * (`classify`: crop resize + ONNX Runtime) and network only (`classifyPixels`), plus the
 * model file's size. `--model=<name|path>` benchmarks another classifier; `--runs=<n>` sets
 * the timed runs per batch size; `--threads=<n>` the ONNX Runtime threads (0: its default).
 */
import { statSync } from 'node:fs';
import type { PixelCrop } from '../core/types';
import { integerAtLeast } from '../core/validate';
import {
  createMaskClassifierSession,
  DEFAULT_CLASSIFIER_MODEL,
  resolveClassifierModel,
} from '../runtime/mask-classifier-session';
import { OnnxMaskClassifier } from '../runtime/onnx-mask-classifier';
import { loadAverage, markdownTable, timeRuns, type BenchModule } from './bench-kit';

const BATCH_SIZES = [1, 8, 32] as const;
const DEFAULT_RUNS = 60;
/** Untimed runs before each batch size (timeRuns' default), counted in the CPU time. */
const WARM_UP_RUNS = 3;
/** A face as face-crop cuts it from a 640×360 corridor frame: about 40×48 px. */
const CROP_WIDTH = 40;
const CROP_HEIGHT = 48;

/** `--name=value` among the flags the bench runner passes (it takes bare words for names). */
function flag(args: string[], name: string): string | undefined {
  const prefix = `${name}=`;
  return args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

function crops(count: number): PixelCrop[] {
  return Array.from({ length: count }, (_, k) => {
    const data = Buffer.alloc(CROP_WIDTH * CROP_HEIGHT * 3);
    for (let i = 0; i < data.length; i += 1) data[i] = (i * 7 + k * 31) % 256;
    return { data, width: CROP_WIDTH, height: CROP_HEIGHT, channels: 3 };
  });
}

const bench: BenchModule = {
  description: `mask classifier ms per face (${CROP_WIDTH}×${CROP_HEIGHT} RGB crops), batch ${BATCH_SIZES.join(' / ')}`,
  async run(args) {
    const model = flag(args, '--model') ?? DEFAULT_CLASSIFIER_MODEL;
    const runs = integerAtLeast('--runs', flag(args, '--runs') ?? DEFAULT_RUNS, 1);
    const path = resolveClassifierModel(model);
    const threads = integerAtLeast('--threads', flag(args, '--threads') ?? 0, 0);
    const session = await createMaskClassifierSession(model, { threads });
    const rows: unknown[][] = [];
    try {
      for (const n of BATCH_SIZES) {
        const batch = crops(n);
        const cpuBefore = process.cpuUsage();
        const whole = await timeRuns(() => session.classify(batch), runs);
        // CPU time of this process (all its threads): what a face costs however busy the
        // machine is, where wall time also counts the waits for other processes.
        const cpu = process.cpuUsage(cpuBefore);
        const cpuMsPerFace = (cpu.user + cpu.system) / 1000 / ((runs + WARM_UP_RUNS) * n);
        let network = '—';
        if (session instanceof OnnxMaskClassifier) {
          const size = session.inputSize;
          const pixels = new Uint8Array(n * size * size * 3).fill(128);
          const t = await timeRuns(() => session.classifyPixels(pixels, n), runs);
          network = (t.medianMs / n).toFixed(2);
        }
        rows.push([
          n,
          (whole.medianMs / n).toFixed(2),
          (whole.p90Ms / n).toFixed(2),
          cpuMsPerFace.toFixed(2),
          network,
        ]);
      }
    } finally {
      session.dispose();
    }
    console.log(
      markdownTable(
        [
          'batch',
          'ms / face (median)',
          'ms / face (p90)',
          'CPU ms / face (mean)',
          'network only, ms / face (median)',
        ],
        rows,
      ),
    );
    const mb = statSync(path).size / 1e6;
    console.log(
      `\n${session.modelName} (${session.inputSize} px), ${mb.toFixed(2)} MB, ${runs} runs per ` +
        `batch size; load average after: ${loadAverage()}`,
    );
  },
};

export = bench;
