/**
 * `npm run train -- [options]`: runs the PyTorch training pipeline (training/train.py) with the
 * Python that has torch, passing every option through. Without options it reproduces the
 * shipped model into models/mask-classifier-mnv2/. `npm run train -- --help` lists the options.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findTrainingPython } from './python';

const REPO_ROOT = join(__dirname, '..', '..');

function main(args: string[]): number {
  const { python, why } = findTrainingPython();
  if (python === undefined) {
    process.stderr.write(`train: ${why}\n`);
    return 1;
  }
  const result = spawnSync(python, [join(REPO_ROOT, 'training', 'train.py'), ...args], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  return result.status ?? 1;
}

process.exit(main(process.argv.slice(2)));
