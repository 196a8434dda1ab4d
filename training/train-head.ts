/**
 * Trains the mask-classifier head on frozen MobileNetV2 (nsfwjs) features.
 *
 *   npm run train -- [--data ../shared/data] [--input-size 128] [--seed 1] [--out models/mask-classifier-head]
 *
 * Steps: list the examples and their roles (dataset.ts), render two views per fitted image
 * (augment.ts), extract backbone features once (feature-cache.ts), fit the head (head.ts),
 * report ILC `val` at native size and at 24 px, and write the head, its config, the data
 * manifest with sha256 and the model card next to each other.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CLASSIFIER_LABELS } from '../src/core/verdict-from-probs';
import {
  BACKBONE_FEATURES,
  DEFAULT_BACKBONE_DIR,
  MobileNetFeatures,
} from '../src/runtime/mobilenet-features';
import { tf } from '../src/runtime/tfjs-backend';
import { renderView, trainingViews, viewKey, type ViewSpec } from './augment';
import { listExamples, sourcePath, type Example } from './dataset';
import { FeatureCache } from './feature-cache';
import { buildHead, predictProbs, trainHead, type HeadConfig, type Rows } from './head';
import { evaluate, type Evaluation } from './evaluate';
import { writeModelCard } from './model-card';
import { hashUnit, seededRandom, shuffled } from './seeded-random';

const REPO_ROOT = join(__dirname, '..', '..');
/** The reported small-face condition: ILC val faces downscaled so the longer side is 24 px. */
export const SMALL_FACE_PX = 24;
const EXTRACT_BATCH = 32;

export interface TrainOptions {
  data: string;
  out: string;
  cache: string;
  inputSize: number;
  seed: number;
  holdout: number;
  maxPerClass?: number;
  head: HeadConfig;
}

interface View {
  example: Example;
  spec: ViewSpec;
  key: string;
}

function parseOptions(argv: string[]): TrainOptions {
  const program = new Command()
    .option('--data <dir>', 'shared data folder', '../shared/data')
    .option('--out <dir>', 'where the head and its card go', 'models/mask-classifier-head')
    .option('--cache <dir>', 'feature cache folder', 'training/cache')
    .option('--input-size <px>', 'backbone input size', '128')
    .option('--seed <n>', 'seed of every shuffle, split and augmentation', '1')
    .option('--holdout <fraction>', 'share of near-duplicate groups held out', '0.15')
    .option('--max-per-class <n>', 'subsample each source/class (input-size study)')
    .option('--max-epochs <n>', 'epoch limit', '80')
    .option('--patience <n>', 'early-stopping patience in epochs', '10')
    .parse(argv);
  const o = program.opts();
  const fromRoot = (p: string): string => (isAbsolute(p) ? p : resolve(REPO_ROOT, p));
  const seed = Number(o.seed);
  return {
    data: fromRoot(o.data),
    out: fromRoot(o.out),
    cache: fromRoot(o.cache),
    inputSize: Number(o.inputSize),
    seed,
    holdout: Number(o.holdout),
    maxPerClass: o.maxPerClass === undefined ? undefined : Number(o.maxPerClass),
    head: {
      hiddenUnits: 64,
      inputDropout: 0.3,
      hiddenDropout: 0.2,
      l2: 1e-4,
      learningRate: 1e-3,
      batchSize: 64,
      maxEpochs: Number(o.maxEpochs),
      patience: Number(o.patience),
      seed,
    },
  };
}

function selectExamples(options: TrainOptions): Example[] {
  const all = listExamples({
    dataDir: options.data,
    holdoutFraction: options.holdout,
    seed: options.seed,
  });
  if (options.maxPerClass === undefined) return all;
  const buckets = new Map<string, Example[]>();
  for (const ex of all) {
    if (ex.role === 'val') continue;
    const key = `${ex.source}/${ex.label}`;
    buckets.set(key, [...(buckets.get(key) ?? []), ex]);
  }
  const random = seededRandom(options.seed);
  const kept = [...buckets.values()].flatMap((b) =>
    shuffled(b, random).slice(0, options.maxPerClass),
  );
  return [...kept, ...all.filter((ex) => ex.role === 'val')];
}

function viewsOf(ex: Example, seed: number): ViewSpec[] {
  if (ex.role === 'val') return [{ flip: false }, { flip: false, lowResPx: SMALL_FACE_PX }];
  return trainingViews(seededRandom(Math.floor(hashUnit(ex.relPath, seed) * 2 ** 32)));
}

async function extractAll(
  views: View[],
  options: TrainOptions,
  cache: FeatureCache,
  log: (line: string) => void,
): Promise<void> {
  const missing = views.filter((v) => cache.get(v.key) === undefined);
  log(`${views.length} views, ${missing.length} need features`);
  if (missing.length === 0) return;
  const backbone = await MobileNetFeatures.load(options.inputSize);
  const started = Date.now();
  for (let start = 0; start < missing.length; start += EXTRACT_BATCH) {
    const batch = missing.slice(start, start + EXTRACT_BATCH);
    const crops = await Promise.all(
      batch.map((v) => renderView(sourcePath(options.data, v.example), v.spec)),
    );
    const features = await backbone.fromCrops(crops);
    cache.add(batch.map((v, i) => ({ key: v.key, features: features[i] as Float32Array })));
    const done = start + batch.length;
    if (done % (EXTRACT_BATCH * 20) === 0 || done === missing.length) {
      const msPer = (Date.now() - started) / done;
      log(`features ${done}/${missing.length} (${msPer.toFixed(1)} ms/view)`);
    }
  }
  backbone.dispose();
}

function rowsOf(views: View[], cache: FeatureCache): Rows {
  return {
    features: views.map((v) => cache.get(v.key) as Float32Array),
    labels: views.map((v) => CLASSIFIER_LABELS.indexOf(v.example.label)),
  };
}

async function saveHead(model: tfl.LayersModel, options: TrainOptions): Promise<void> {
  mkdirSync(options.out, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightsFile = 'weights.bin';
      const modelJson = {
        format: 'layers-model',
        generatedBy: 'training/train-head.ts',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs }],
        // Read by src/runtime/mask-classifier-session.ts: how to feed the backbone.
        maskwatch: {
          labels: CLASSIFIER_LABELS,
          inputSize: options.inputSize,
          backbone: relative(options.out, DEFAULT_BACKBONE_DIR),
          pixelScale: '[0, 1] (value / 255)',
        },
      };
      writeFileSync(join(options.out, 'model.json'), JSON.stringify(modelJson));
      writeFileSync(
        join(options.out, weightsFile),
        Buffer.from(artifacts.weightData as ArrayBuffer),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

function writeManifest(examples: Example[], options: TrainOptions): void {
  const lines = ['file,source,label,role,near_dup_group,sha256'];
  for (const ex of examples) {
    const sha = createHash('sha256')
      .update(readFileSync(sourcePath(options.data, ex)))
      .digest('hex');
    lines.push([ex.relPath, ex.source, ex.label, ex.role, ex.group, sha].join(','));
  }
  writeFileSync(join(options.out, 'data-manifest.csv'), `${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const startedMs = Date.now();
  const options = parseOptions(process.argv);
  const log = (line: string): void =>
    console.log(`[${((Date.now() - startedMs) / 1000).toFixed(0)}s] ${line}`);
  const examples = selectExamples(options);
  const views: View[] = examples.flatMap((example) =>
    viewsOf(example, options.seed).map((spec) => ({
      example,
      spec,
      key: `${example.relPath}|${viewKey(spec)}`,
    })),
  );
  const cache = new FeatureCache(
    join(options.cache, `mobilenetv2-nsfwjs-${options.inputSize}`),
    BACKBONE_FEATURES,
  );
  await extractAll(views, options, cache, log);

  const byRole = (role: Example['role']): View[] => views.filter((v) => v.example.role === role);
  const model = buildHead(BACKBONE_FEATURES, options.head);
  const history = await trainHead(
    model,
    rowsOf(byRole('train'), cache),
    rowsOf(byRole('holdout'), cache),
    options.head,
    seededRandom(options.seed + 7),
    log,
  );

  const valViews = byRole('val');
  const evaluation: Evaluation = {
    native: evaluate(
      rowsOf(
        valViews.filter((v) => v.spec.lowResPx === undefined),
        cache,
      ),
      model,
    ),
    small: evaluate(
      rowsOf(
        valViews.filter((v) => v.spec.lowResPx !== undefined),
        cache,
      ),
      model,
    ),
  };
  const wallSeconds = (Date.now() - startedMs) / 1000;
  await saveHead(model, options);
  writeManifest(examples, options);
  const config = {
    ...options,
    data: '<--data>',
    out: relative(REPO_ROOT, options.out),
    cache: undefined,
  };
  writeFileSync(join(options.out, 'training-config.json'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(
    join(options.out, 'metrics.json'),
    `${JSON.stringify({ evaluation, history, wallSeconds }, null, 2)}\n`,
  );
  writeModelCard({
    options,
    examples,
    views,
    evaluation,
    history,
    wallSeconds,
    argv: process.argv.slice(2),
  });
  log(
    `native: acc ${evaluation.native.three.accuracy.toFixed(3)} macroF1 ${evaluation.native.three.macroF1.toFixed(3)}; ` +
      `24px: acc ${evaluation.small.three.accuracy.toFixed(3)} macroF1 ${evaluation.small.three.macroF1.toFixed(3)}`,
  );
  log(`wrote ${options.out} in ${wallSeconds.toFixed(0)} s`);
  // predictProbs is exported for the model card's consumers; keep the import used.
  void predictProbs;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
