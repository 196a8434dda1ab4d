/**
 * The small dense head trained on frozen backbone features: 1280 → dropout → 64 relu →
 * dropout → 3 softmax, class-weighted, early-stopped on the held-out groups' macro F1.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { argmax, classificationReport } from '../src/core/classification-metrics';
import { CLASSIFIER_LABELS } from '../src/core/verdict-from-probs';
import { tf } from '../src/runtime/tfjs-backend';
import { shuffled, type Random } from './seeded-random';

export interface HeadConfig {
  hiddenUnits: number;
  inputDropout: number;
  hiddenDropout: number;
  l2: number;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  /** Epochs without a better holdout macro F1 before training stops. */
  patience: number;
  seed: number;
}

export interface Rows {
  features: Float32Array[];
  labels: number[];
}

export function buildHead(inputWidth: number, config: HeadConfig): tfl.Sequential {
  const { seed } = config;
  const model = tfl.sequential();
  model.add(tfl.layers.dropout({ inputShape: [inputWidth], rate: config.inputDropout, seed }));
  model.add(
    tfl.layers.dense({
      units: config.hiddenUnits,
      activation: 'relu',
      kernelInitializer: tfl.initializers.heNormal({ seed }),
      kernelRegularizer: tfl.regularizers.l2({ l2: config.l2 }),
    }),
  );
  model.add(tfl.layers.dropout({ rate: config.hiddenDropout, seed: seed + 1 }));
  model.add(
    tfl.layers.dense({
      units: CLASSIFIER_LABELS.length,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }),
    }),
  );
  model.compile({
    optimizer: tf.train.adam(config.learningRate),
    loss: 'categoricalCrossentropy',
  });
  return model;
}

/** Inverse-frequency class weights, normalised so a balanced set has weight 1 per class. */
export function classWeights(labels: readonly number[], classes: number): Record<number, number> {
  const counts = new Array<number>(classes).fill(0);
  labels.forEach((l) => (counts[l] = (counts[l] as number) + 1));
  const out: Record<number, number> = {};
  counts.forEach((n, c) => (out[c] = n > 0 ? labels.length / (classes * n) : 0));
  return out;
}

export function predictProbs(model: tfl.LayersModel, features: Float32Array[]): Float32Array[] {
  const width = features[0]?.length ?? 0;
  const out: Float32Array[] = [];
  for (let start = 0; start < features.length; start += 512) {
    const chunk = features.slice(start, start + 512);
    const probs = tf.tidy(() => {
      const x = tf.tensor2d(concat(chunk, width), [chunk.length, width]);
      return model.predict(x) as tf.Tensor2D;
    });
    const flat = probs.dataSync() as Float32Array;
    probs.dispose();
    const k = CLASSIFIER_LABELS.length;
    chunk.forEach((_, i) => out.push(flat.slice(i * k, (i + 1) * k)));
  }
  return out;
}

export function macroF1(model: tfl.LayersModel, rows: Rows): number {
  const predicted = predictProbs(model, rows.features).map((p) => argmax(p));
  return classificationReport(CLASSIFIER_LABELS, rows.labels, predicted).macroF1;
}

/** Trains in place; restores the weights of the best holdout epoch. Returns the epoch log. */
export async function trainHead(
  model: tfl.LayersModel,
  train: Rows,
  holdout: Rows,
  config: HeadConfig,
  random: Random,
  log: (line: string) => void,
): Promise<{ epoch: number; loss: number; holdoutMacroF1: number }[]> {
  const width = train.features[0]?.length ?? 0;
  const k = CLASSIFIER_LABELS.length;
  const weights = classWeights(train.labels, k);
  const history: { epoch: number; loss: number; holdoutMacroF1: number }[] = [];
  let best = { f1: -1, epoch: 0, weights: [] as tf.Tensor[] };
  for (let epoch = 1; epoch <= config.maxEpochs; epoch += 1) {
    const order = shuffled(
      train.labels.map((_, i) => i),
      random,
    );
    const xs = tf.tensor2d(
      concat(
        order.map((i) => train.features[i] as Float32Array),
        width,
      ),
      [order.length, width],
    );
    const ys = tf.oneHot(
      tf.tensor1d(
        order.map((i) => train.labels[i] as number),
        'int32',
      ),
      k,
    );
    const fit = await model.fit(xs, ys, {
      epochs: 1,
      batchSize: config.batchSize,
      shuffle: false,
      classWeight: weights,
      verbose: 0,
    });
    xs.dispose();
    ys.dispose();
    const loss = fit.history.loss?.[0] as number;
    const f1 = macroF1(model, holdout);
    history.push({ epoch, loss, holdoutMacroF1: f1 });
    log(`epoch ${epoch}: loss ${loss.toFixed(4)}, holdout macro F1 ${f1.toFixed(4)}`);
    if (f1 > best.f1) {
      best.weights.forEach((w) => w.dispose());
      best = { f1, epoch, weights: model.getWeights().map((w) => w.clone()) };
    } else if (epoch - best.epoch >= config.patience) break;
  }
  model.setWeights(best.weights);
  best.weights.forEach((w) => w.dispose());
  log(`best epoch ${best.epoch} (holdout macro F1 ${best.f1.toFixed(4)})`);
  return history;
}

function concat(rows: Float32Array[], width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(r, i * width));
  return out;
}
