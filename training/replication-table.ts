/**
 * Prints the replication table of models/README.md from the `maskwatch evaluate --json` files
 * that training/evaluate-runs.sh writes into each run's folder:
 *
 *   node dist/training/replication-table.js <runs folder> <mode> ...
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface EvaluateJson {
  classes: Record<string, { f1: number }>;
  accuracy: number;
  macroF1: number;
}

const REGIME: Record<string, string> = {
  head: 'head only (backbone frozen)',
  after20: 'layers after the 20th unfrozen (the paper)',
  full: 'all layers unfrozen',
  scratch: 'from scratch (no pretrained weights)',
};

function read(runs: string, mode: string, size: string, classes: number): EvaluateJson {
  return JSON.parse(readFileSync(join(runs, mode, `val-${size}-${classes}.json`), 'utf8'));
}

const pct = (v: number): string => (v * 100).toFixed(1);

function row(runs: string, mode: string): string {
  const cells = [REGIME[mode] ?? mode];
  for (const size of ['native', '24px']) {
    const two = read(runs, mode, size, 2);
    const three = read(runs, mode, size, 3);
    cells.push(pct(two.classes.mask!.f1), pct(two.classes.no_mask!.f1), pct(two.accuracy));
    cells.push(pct(three.macroF1));
  }
  return `| ${cells.join(' | ')} |`;
}

function main([runs, ...modes]: string[]): void {
  if (runs === undefined || modes.length === 0) {
    throw new Error('usage: replication-table <runs folder> <mode> ...');
  }
  const header = [
    'regime',
    'native: mask F1',
    'no_mask F1',
    'accuracy (2 cl.)',
    'macro F1 (3 cl.)',
    '24 px: mask F1',
    'no_mask F1',
    'accuracy (2 cl.)',
    'macro F1 (3 cl.)',
  ];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const mode of modes) console.log(row(runs, mode));
}

main(process.argv.slice(2));
