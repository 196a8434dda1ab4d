/**
 * Writes the tfjs outputs of the shipped nsfwjs MobileNetV2 backbone on synthetic patterns, the
 * reference the PyTorch port is checked against (training/tests/test_keras_port.py):
 *
 *   npm run build && node dist/training/backbone-reference.js [out.json]
 *
 * The backbone runs exactly as models/mobilenetv2-nsfwjs ships (tfjs LayersModel, wasm backend),
 * on inputs in [0, 1] without any resize, so the only differences left are the engines'.
 */
import { writeFileSync } from 'node:fs';
import { MobileNetFeatures } from '../src/runtime/mobilenet-features';
import { tf } from '../src/runtime/tfjs-backend';
import { syntheticPattern } from './synthetic-pattern';

/** Pattern indices and sizes: two at the shipped input size, one odd size for padding edges. */
export const REFERENCE_CASES = [
  { index: 0, size: 96 },
  { index: 1, size: 96 },
  { index: 2, size: 57 },
] as const;

async function main(out: string): Promise<void> {
  const backbone = await MobileNetFeatures.load(96);
  const cases = [];
  for (const { index, size } of REFERENCE_CASES) {
    const features = tf.tidy(() => {
      const pixels = tf.tensor4d(syntheticPattern(index, size, size), [1, size, size, 3], 'int32');
      return backbone.fromBatch(tf.div(tf.cast(pixels, 'float32'), 255) as tf.Tensor4D);
    });
    const values = Array.from(await features.data(), (v) => Number(v.toPrecision(7)));
    features.dispose();
    cases.push({ index, size, features: values });
  }
  backbone.dispose();
  writeFileSync(
    out,
    `${JSON.stringify({ engine: `tfjs ${tf.version_core} ${backbone.backend}`, cases })}\n`,
  );
  console.log(`wrote ${out}`);
}

main(process.argv[2] ?? 'training/fixtures/tfjs-backbone-reference.json').catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
