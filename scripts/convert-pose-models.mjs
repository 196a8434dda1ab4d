// Rebuilds the shipped ONNX pose models from their tfjs sources in models/ with the project's
// converter, and checks each result's sha256 against the recorded one. Needs `npm run build`.
//
//   node scripts/convert-pose-models.mjs           # convert and check
//   node scripts/convert-pose-models.mjs --check   # only check the files in models/
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { SHIPPED_CONVERSIONS } = require(join(root, 'dist/src/convert/shipped-conversions.js'));
const { convertModelFile } = require(join(root, 'dist/src/convert/convert-model-file.js'));
const models = join(root, 'models');

let bad = 0;
for (const c of SHIPPED_CONVERSIONS) {
  const target = join(models, c.target);
  if (process.argv[2] !== '--check') {
    await convertModelFile(join(models, c.source), target, c.options);
  }
  const actual = createHash('sha256').update(readFileSync(target)).digest('hex');
  const ok = actual === c.sha256;
  if (!ok) bad += 1;
  console.log(
    `${ok ? 'ok  ' : 'BAD '} models/${c.target} ${actual}${ok ? '' : ` (want ${c.sha256})`}`,
  );
}
process.exitCode = bad > 0 ? 1 : 0;
