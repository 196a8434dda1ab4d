/** The reported figures: 3-class and both 2-class readings of the head's output. */
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  abstentionCurve,
  argmax,
  classificationReport,
  twoClassView,
  type AbstentionPoint,
  type ClassificationReport,
} from '../src/core/classification-metrics';
import { CLASSIFIER_LABELS } from '../src/core/verdict-from-probs';
import { predictProbs, type Rows } from './head';

export interface ConditionReport {
  three: ClassificationReport;
  merged: ClassificationReport;
  excluded: ClassificationReport;
  /** 3-class coverage and kept accuracy at the thresholds a user may set as Min score. */
  abstention: AbstentionPoint[];
}

export const ABSTENTION_THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95] as const;

export interface Evaluation {
  native: ConditionReport;
  small: ConditionReport;
}

const TWO_LABELS = ['mask', 'no_mask'] as const;

export function evaluate(rows: Rows, model: tfl.LayersModel): ConditionReport {
  const probs = predictProbs(model, rows.features);
  const three = classificationReport(
    CLASSIFIER_LABELS,
    rows.labels,
    probs.map((p) => argmax(p)),
  );
  const merged = twoClassView('merged', rows.labels, probs);
  const excluded = twoClassView('excluded', rows.labels, probs);
  return {
    three,
    merged: classificationReport(TWO_LABELS, merged.truth, merged.predicted),
    excluded: classificationReport(TWO_LABELS, excluded.truth, excluded.predicted),
    abstention: abstentionCurve(rows.labels, probs, ABSTENTION_THRESHOLDS),
  };
}
