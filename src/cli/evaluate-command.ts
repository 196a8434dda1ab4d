/**
 * `maskwatch evaluate <folder>`: scores the mask classifier that ships (or `--model`) on a folder
 * of labelled faces, through the runtime the node uses, and prints the paper's table: confusion
 * matrix, per-class precision, recall, F1 and support, accuracy. `--json` prints
 * `{ classes: { <label>: { precision, recall, f1, support } }, accuracy, confusion, ... }`.
 */
import { accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { ClassificationReport } from '../core/classification-metrics';
import { integerAtLeast, numberInRange, oneOf } from '../core/validate';
import { DEFAULT_MIN_FACE_PX, DEFAULT_MIN_SCORE } from '../runtime/classify-faces';
import { writeConfusionPng } from '../runtime/confusion-plot';
import { applyGates, evaluateClassifier, type Evaluation } from '../runtime/evaluate-classifier';
import { CLASS_FOLDERS, listLabelledFaces, type LabelledFace } from '../runtime/face-folder';
import {
  createMaskClassifierSession,
  DEFAULT_CLASSIFIER_MODEL,
} from '../runtime/mask-classifier-session';
import { CLASSIFIER_LABELS } from '../core/verdict-from-probs';
import { CLASSIFIER_MODEL_HELP } from './model-flags';

interface EvaluateFlags {
  json?: boolean;
  size?: string;
  classes: string;
  plot?: string;
  model: string;
  minScore: string;
  minFacePx: string;
  sweep?: boolean;
}

/** Min-score values `--sweep` reports coverage and accuracy at. */
const SWEEP_MIN_SCORES = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
/** Min-face values `--sweep` reports at (shorter side of the crop as scored, px). */
const SWEEP_MIN_FACE_PX = [1, 8, 10, 12, 16, 20, 24];

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('score the mask classifier on a folder of labelled face images')
    .argument('<folder>', 'folder with with_mask/, without_mask/, mask_worn_incorrectly/')
    .option('--json', 'print the figures as JSON')
    .option('--size <px>', 'downscale every face so its longer side is this, first')
    .option('--classes <n>', '2: mask vs no_mask (incorrect left out); 3: all three', '3')
    .option('--plot <file.png>', 'write the confusion matrix as a PNG')
    .option('--model <name|path>', CLASSIFIER_MODEL_HELP, DEFAULT_CLASSIFIER_MODEL)
    .option(
      '--min-score <p>',
      'the node gate: top probability below it is unknown',
      String(DEFAULT_MIN_SCORE),
    )
    .option(
      '--min-face-px <px>',
      'the node gate: shorter side below it is unknown',
      String(DEFAULT_MIN_FACE_PX),
    )
    .option('--sweep', 'also report coverage and accuracy over a range of both gates')
    .action(async (folder: string, flags: EvaluateFlags) => {
      const classes = Number(oneOf('--classes', flags.classes, ['2', '3'])) as 2 | 3;
      const sizePx = flags.size === undefined ? undefined : integerAtLeast('--size', flags.size, 1);
      const gates = {
        minScore: numberInRange('--min-score', flags.minScore, 0, 1),
        minFacePx: integerAtLeast('--min-face-px', flags.minFacePx, 1),
      };
      // Checked before the faces are scored, so a bad path does not cost a whole evaluation.
      const plot = flags.plot === undefined ? undefined : writablePlotPath(flags.plot);
      const faces = listLabelledFaces(resolve(folder), CLASSIFIER_LABELS.slice(0, classes));
      if (classes === 3) noteMissingIncorrect(faces, resolve(folder));
      if (sizePx !== undefined && sizePx <= gates.minFacePx)
        noteSizeUnderGate(sizePx, gates.minFacePx);
      const session = await createMaskClassifierSession(flags.model);
      let result: Evaluation;
      try {
        result = await withProgress((onProgress) =>
          evaluateClassifier(session, faces, { classes, sizePx, ...gates, onProgress }),
        );
      } finally {
        session.dispose();
      }
      const context = { model: session.modelName, folder: resolve(folder), sizePx, ...gates };
      const sweep = flags.sweep ? gateSweep(result, gates) : undefined;
      // The figures go out before the plot is written: a failed write must not lose them.
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ ...evaluationJson(result, context), sweep }, null, 2)}\n`
          : describe(result, context) + (sweep ? describeSweep(sweep) : ''),
      );
      if (plot !== undefined) {
        const title = `${session.modelName} · ${sizePx === undefined ? 'native size' : `${sizePx} px`}`;
        await writeConfusionPng(result.all, title, plot);
      }
    });
}

/** The absolute `--plot` path, or an error naming it when its folder is missing or read-only. */
function writablePlotPath(file: string): string {
  const path = resolve(file);
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `is not writable (${code})`;
    throw new Error(`--plot ${path}: folder ${dirname(path)} ${why}`);
  }
  return path;
}

/**
 * Three classes with no incorrectly worn faces still score, with an empty `incorrect` row; the
 * note says why and points to the two-class figures, which are the meaningful ones there.
 */
/**
 * `--size` sets the longer side, so with it at or under the size gate the shorter side of every
 * face that is not square falls under the gate: the node-gate figures then answer next to no
 * face. The figures over every face are still the ones asked for.
 */
function noteSizeUnderGate(sizePx: number, minFacePx: number): void {
  process.stderr.write(
    `maskwatch: note: --size ${sizePx} leaves nearly every face's shorter side under ` +
      `--min-face-px ${minFacePx}, so the node would call them too small; the figures over ` +
      `every face are unaffected (lower --min-face-px to see the node's answers)\n`,
  );
}

function noteMissingIncorrect(faces: readonly LabelledFace[], folder: string): void {
  if (faces.some((f) => f.label === 'incorrect')) return;
  process.stderr.write(
    `maskwatch: note: ${folder} has no faces in ${CLASS_FOLDERS.incorrect}/, so the incorrect ` +
      'class has no support; use --classes 2 to score mask vs no_mask only\n',
  );
}

async function withProgress<T>(
  work: (onProgress: (done: number, total: number) => void) => Promise<T>,
): Promise<T> {
  if (!process.stderr.isTTY) return work(() => undefined);
  const bar = new SingleBar(
    { format: 'faces {bar} {value}/{total} · {eta}s left', stream: process.stderr },
    Presets.shades_classic,
  );
  let started = false;
  try {
    return await work((done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    });
  } finally {
    if (started) bar.stop();
  }
}

interface Context {
  model: string;
  folder: string;
  sizePx?: number;
  minScore: number;
  minFacePx: number;
}

function classesJson(report: ClassificationReport) {
  return Object.fromEntries(
    report.perClass.map((m) => [
      m.label,
      { precision: m.precision, recall: m.recall, f1: m.f1, support: m.support },
    ]),
  );
}

/** The documented fields first (`classes`, `accuracy`, `confusion`), then the context. */
export function evaluationJson(result: Evaluation, context: Context) {
  const { all, answered } = result;
  return {
    classes: classesJson(all),
    accuracy: all.accuracy,
    confusion: all.confusion,
    labels: all.labels,
    macroF1: all.macroF1,
    count: all.count,
    ...context,
    answered: {
      coverage: result.coverage,
      unknown: result.unknown,
      classes: classesJson(answered),
      accuracy: answered.accuracy,
      confusion: answered.confusion,
      count: answered.count,
    },
  };
}

interface SweepRow {
  minScore: number;
  minFacePx: number;
  coverage: number;
  accuracy: number;
  macroF1: number;
}

/** Each gate varied with the other held at its given value. */
function gateSweep(result: Evaluation, gates: { minScore: number; minFacePx: number }): SweepRow[] {
  const row = (minScore: number, minFacePx: number): SweepRow => {
    const g = applyGates(result.records, result.labels, { minScore, minFacePx });
    const { accuracy, macroF1 } = g.answered;
    return { minScore, minFacePx, coverage: g.coverage, accuracy, macroF1 };
  };
  return [
    ...SWEEP_MIN_SCORES.map((s) => row(s, gates.minFacePx)),
    ...SWEEP_MIN_FACE_PX.map((px) => row(gates.minScore, px)),
  ];
}

function describeSweep(rows: readonly SweepRow[]): string {
  return [
    'gate sweep (faces answered, and their figures):',
    'min score  min face px  coverage  accuracy  macro F1',
    ...rows.map(
      (r) =>
        `${String(r.minScore).padStart(9)}  ${String(r.minFacePx).padStart(11)}  ` +
        `${pct(r.coverage).padStart(8)}  ${pct(r.accuracy).padStart(8)}  ${pct(r.macroF1).padStart(8)}`,
    ),
    '',
  ].join('\n');
}

function pct(value: number): string {
  return (value * 100).toFixed(2);
}

function table(report: ClassificationReport): string[] {
  const width = Math.max(...report.labels.map((l) => l.length), 'accuracy'.length);
  const pad = (text: string) => text.padEnd(width);
  const lines = [
    `${pad('')}  precision  recall     F1  support`,
    ...report.perClass.map(
      (m) =>
        `${pad(m.label)}  ${pct(m.precision).padStart(9)}  ${pct(m.recall).padStart(6)}  ` +
        `${pct(m.f1).padStart(5)}  ${String(m.support).padStart(7)}`,
    ),
    `${pad('accuracy')}  ${''.padStart(9)}  ${''.padStart(6)}  ${pct(report.accuracy).padStart(5)}  ${String(report.count).padStart(7)}`,
    '',
    `confusion (rows truth, columns predicted: ${report.labels.join(', ')})`,
    ...report.confusion.map(
      (row, i) =>
        `${pad(report.labels[i] as string)}  ${row.map((n) => String(n).padStart(6)).join('')}`,
    ),
  ];
  return lines;
}

function describe(result: Evaluation, context: Context): string {
  const size = context.sizePx === undefined ? 'native size' : `downscaled to ${context.sizePx} px`;
  const unknown = Object.entries(result.unknown)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  return [
    `${context.model} on ${context.folder} (${size}), ${result.labels.length} classes, figures in %`,
    '',
    'every face, most probable class:',
    ...table(result.all),
    '',
    `as the node answers (min score ${context.minScore}, min face ${context.minFacePx} px): ` +
      `${pct(result.coverage)} % of faces get a verdict${unknown ? `; unknown: ${unknown}` : ''}`,
    ...table(result.answered),
    '',
  ].join('\n');
}
