import { expect } from 'chai';
import {
  abstentionCurve,
  argmax,
  classificationReport,
  twoClassView,
} from '../../src/core/classification-metrics';

const TOLERANCE = 1e-9;

describe('classification-metrics', () => {
  it('computes the confusion matrix, per-class figures and accuracy of a hand-made case', () => {
    // truth:     a a a b b c
    // predicted: a a b b c c
    const r = classificationReport(['a', 'b', 'c'], [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);
    expect(r.confusion).to.deep.equal([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const [a, b, c] = r.perClass;
    expect([a!.precision, a!.recall, a!.support]).to.deep.equal([1, 2 / 3, 3]);
    expect(a!.f1).to.be.closeTo(0.8, TOLERANCE);
    expect([b!.precision, b!.recall]).to.deep.equal([0.5, 0.5]);
    expect([c!.precision, c!.recall]).to.deep.equal([0.5, 1]);
    expect(c!.f1).to.be.closeTo(2 / 3, TOLERANCE);
    expect(r.accuracy).to.be.closeTo(4 / 6, TOLERANCE);
    expect(r.macroF1).to.be.closeTo((0.8 + 0.5 + 2 / 3) / 3, TOLERANCE);
  });

  it('gives zero, not NaN, for a class that is never predicted', () => {
    const r = classificationReport(['a', 'b'], [0, 1], [0, 0]);
    expect(r.perClass[1]).to.include({ precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('rejects class indices out of range, naming the position', () => {
    expect(() => classificationReport(['a', 'b'], [0, 2], [0, 1])).to.throw(
      'class index out of range at 1',
    );
  });

  it('reads incorrect as no_mask when merged, and drops it when excluded', () => {
    const probs = [
      [0.2, 0.3, 0.5], // truth incorrect, predicted incorrect
      [0.5, 0.1, 0.4], // truth no_mask, predicted mask
      [0.1, 0.2, 0.7], // truth mask, predicted incorrect (no_mask beats mask when excluded)
    ];
    expect(twoClassView('merged', [2, 1, 0], probs)).to.deep.equal({
      truth: [1, 1, 0],
      predicted: [1, 0, 1],
    });
    expect(twoClassView('excluded', [2, 1, 0], probs)).to.deep.equal({
      truth: [1, 0],
      predicted: [0, 1],
    });
  });

  it('tells how many predictions a confidence threshold keeps and how often they are right', () => {
    const probs = [
      [0.95, 0.05, 0],
      [0.6, 0.4, 0],
      [0.3, 0.7, 0],
      [0.1, 0.9, 0],
    ];
    const curve = abstentionCurve([0, 1, 1, 0], probs, [0.5, 0.8, 0.99]);
    expect(curve).to.deep.equal([
      { threshold: 0.5, coverage: 1, keptAccuracy: 0.5 },
      { threshold: 0.8, coverage: 0.5, keptAccuracy: 0.5 },
      { threshold: 0.99, coverage: 0, keptAccuracy: null },
    ]);
  });

  it('takes the first of tied maxima', () => {
    expect(argmax([0.4, 0.4, 0.2])).to.equal(0);
  });
});
