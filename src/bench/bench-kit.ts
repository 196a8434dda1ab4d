/**
 * What every benchmark shares: the module shape `npm run bench` loads, timing of repeated runs
 * with warm-up, and the machine's load, printed with every figure so a reader can tell a busy
 * machine's numbers from a quiet one's.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

export interface BenchModule {
  /** One line: what is measured, on what input. */
  description: string;
  /** Runs the benchmark and prints its table; `args` are the `--flags` given after `--`. */
  run(args: string[]): Promise<void>;
}

export interface Timing {
  runs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
}

/** Runs `work` `warmup` times untimed, then `runs` times timed, one after another. */
export async function timeRuns(
  work: (run: number) => Promise<unknown> | unknown,
  runs: number,
  warmup = 3,
): Promise<Timing> {
  for (let i = 0; i < warmup; i += 1) await work(i);
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    await work(i);
    ms.push(performance.now() - t0);
  }
  return summarizeTimes(ms);
}

export function summarizeTimes(ms: readonly number[]): Timing {
  if (ms.length === 0) throw new RangeError('summarizeTimes needs at least one time, got 0');
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    runs: sorted.length,
    medianMs: median(sorted),
    p90Ms: at(0.9),
    minMs: sorted[0]!,
    maxMs: sorted[sorted.length - 1]!,
  };
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "0.42 0.61 0.70": the 1, 5 and 15 minute load averages. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** A markdown table, for pasting into model cards and the README. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const line = (cells: readonly unknown[]): string => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
