/**
 * The check every exported ONNX classifier must pass: ONNX Runtime reproduces the PyTorch
 * probabilities that training/train.py recorded beside the model (reference.json) on the
 * synthetic patterns both sides can draw.
 */
import { expect } from 'chai';
import { OnnxMaskClassifier } from '../../src/runtime/onnx-mask-classifier';
import { syntheticPattern } from '../../training/synthetic-pattern';

/** PyTorch and ONNX Runtime float32 kernels over 52 folded layers differ by about 1e-6. */
const REFERENCE_TOLERANCE = 1e-4;

export interface ClassifierReference {
  size: number;
  cases: { pattern: number; probs: number[] }[];
}

/** Checks an exported classifier against the PyTorch outputs written beside it at export. */
export async function expectMatchesReference(
  model: string,
  reference: ClassifierReference,
): Promise<void> {
  const session = await OnnxMaskClassifier.load(model);
  try {
    expect(session.inputSize).to.equal(reference.size);
    const size = reference.size;
    const pixels = new Uint8Array(reference.cases.length * size * size * 3);
    reference.cases.forEach((c, i) =>
      pixels.set(syntheticPattern(c.pattern, size, size), i * size * size * 3),
    );
    const rows = await session.classifyPixels(pixels, reference.cases.length);
    rows.forEach((row, i) => {
      const expected = reference.cases[i]!.probs;
      expect(row.length).to.equal(expected.length);
      row.forEach((p, k) => expect(p).to.be.closeTo(expected[k]!, REFERENCE_TOLERANCE));
    });
  } finally {
    session.dispose();
  }
}
