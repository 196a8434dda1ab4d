/**
 * The training examples: which files, which class, which role. Roles:
 * - `train`: fitted on;
 * - `holdout`: near-duplicate groups held out of `train` for early stopping (never by file:
 *   re-saved copies of one image share a group);
 * - `val`: the ILC `val` split, the reported cross-source validation set, never fitted on.
 * MaskedFace-Net is synthetic: only its `mask_worn_incorrectly` crops are used, only for `train`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSIFIER_LABELS, type ClassifierLabel } from '../src/core/verdict-from-probs';
import { parseCsv } from './csv';
import { hashUnit } from './seeded-random';

export type Role = 'train' | 'holdout' | 'val';
export type SourceName = 'chandrika' | 'ilc' | 'maskedfacenet';

export interface Example {
  /** `<source folder>/<file>`: stable key, relative to the data folder. */
  relPath: string;
  source: SourceName;
  label: ClassifierLabel;
  role: Role;
  /** Near-duplicate group, unique across sources. */
  group: string;
}

const FOLDERS: Record<SourceName, string> = {
  chandrika: 'chandrikadeb7-face-mask-detection',
  ilc: 'ilc2021-face-mask',
  maskedfacenet: 'maskedfacenet-subset-synthetic',
};

const LABEL_OF_FOLDER: Record<string, ClassifierLabel> = {
  with_mask: 'mask',
  without_mask: 'no_mask',
  mask_worn_incorrectly: 'incorrect',
};

export interface DatasetOptions {
  dataDir: string;
  /** Share of near-duplicate groups of the fitted sources held out for early stopping. */
  holdoutFraction: number;
  seed: number;
}

export function listExamples(options: DatasetOptions): Example[] {
  const { dataDir, holdoutFraction, seed } = options;
  const fitRole = (group: string): Role =>
    hashUnit(group, seed) < holdoutFraction ? 'holdout' : 'train';
  const out: Example[] = [];
  for (const row of readCsv(dataDir, 'chandrika', 'manifest.csv')) {
    const group = `chandrika:${row.near_dup_group}`;
    out.push(example('chandrika', row, group, fitRole(group)));
  }
  for (const row of readCsv(dataDir, 'ilc', 'labels.csv')) {
    const group = `ilc:${row.near_dup_group}`;
    out.push(example('ilc', row, group, row.split === 'val' ? 'val' : fitRole(group)));
  }
  for (const row of readCsv(dataDir, 'maskedfacenet', 'labels.csv')) {
    if (row.label !== 'mask_worn_incorrectly') continue;
    out.push(example('maskedfacenet', row, `maskedfacenet:${row.file}`, 'train'));
  }
  return out;
}

export function sourcePath(dataDir: string, ex: Example): string {
  return join(dataDir, ex.relPath);
}

function readCsv(dataDir: string, source: SourceName, name: string): Record<string, string>[] {
  return parseCsv(readFileSync(join(dataDir, FOLDERS[source], name), 'utf8'));
}

function example(
  source: SourceName,
  row: Record<string, string>,
  group: string,
  role: Role,
): Example {
  const label = LABEL_OF_FOLDER[row.label ?? ''];
  if (!label || !CLASSIFIER_LABELS.includes(label)) {
    throw new Error(`${source}: unknown label ${row.label} for ${row.file}`);
  }
  return { relPath: `${FOLDERS[source]}/${row.file}`, source, label, role, group };
}
