/**
 * `npm run bench -- [name ...] [--json]`: runs the named benchmarks, or all of them. Each
 * benchmark is a module `src/bench/<name>-bench.ts` exporting `description` and `run(args)`;
 * they are found by file name, so adding one needs no change here. Speed and memory are measured
 * here, never in the tests.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadAverage, type BenchModule } from '../bench/bench-kit';

const BENCH_DIR = join(__dirname, '..', 'bench');
const SUFFIX = '-bench.js';

function available(): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((a) => !a.startsWith('--'));
  const flags = argv.filter((a) => a.startsWith('--'));
  const known = available();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: unknown benchmark ${unknown.join(', ')}; known: ${known.join(', ')}\n`,
    );
    return 2;
  }
  for (const name of names.length > 0 ? names : known) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bench = require(join(BENCH_DIR, `${name}${SUFFIX}`)) as BenchModule;
    process.stdout.write(`\n## ${name}: ${bench.description}\n(load average ${loadAverage()})\n\n`);
    await bench.run(flags);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(
      `bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
