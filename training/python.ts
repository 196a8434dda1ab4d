/**
 * Finds the Python that can run the training pipeline: one that imports torch, numpy, PIL and
 * tqdm (Debian: python3-torch python3-pil python3-tqdm). `MASKWATCH_PYTHON` wins when set;
 * otherwise the first of `python3` on the PATH and the system one that works. A Python manager
 * (pyenv, conda) often puts a `python3` first on the PATH that lacks Debian's packages.
 */
import { spawnSync } from 'node:child_process';

const CANDIDATES = ['python3', '/usr/bin/python3'];
const PROBE = 'import torch, numpy, PIL, tqdm';

let found: string | null | undefined;

/** The interpreter, or undefined with `why` saying what was tried. */
export function findTrainingPython(): { python?: string; why: string } {
  const env = process.env.MASKWATCH_PYTHON;
  const candidates = env ? [env] : CANDIDATES;
  if (found === undefined) {
    found = candidates.find((python) => spawnSync(python, ['-c', PROBE]).status === 0) ?? null;
  }
  if (found !== null) return { python: found, why: `${found} imports torch` };
  return {
    why:
      `none of ${candidates.join(', ')} can "${PROBE}": install Debian's python3-torch ` +
      'python3-pil python3-tqdm, or set MASKWATCH_PYTHON',
  };
}
