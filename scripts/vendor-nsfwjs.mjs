// Extracts the pretrained MobileNetV2 backbone from the nsfwjs npm tarball into
// models/mobilenetv2-nsfwjs/ as a plain tfjs LayersModel (model.json + one weights .bin).
//
//   npm pack nsfwjs@4.3.0                          # writes nsfwjs-4.3.0.tgz here
//   node scripts/vendor-nsfwjs.mjs nsfwjs-4.3.0.tgz
//
// nsfwjs ships its model as two UMD bundles: model.min.js exports { modelTopology, weightsManifest }
// and group1-shard1of1.min.js exports the uint8-quantized weight shard as a base64 string. We keep
// the layers up to `out_relu` (the last conv block), add global average pooling, drop nsfwjs's
// NSFW dense head, free the spatial input dims (the net is fully convolutional up to out_relu) and
// keep the weights quantized exactly as published (no precision is lost or gained).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAST_LAYER = 'out_relu';
const POOL_LAYER = 'global_average_pooling2d';
const WEIGHTS_FILE = 'mobilenetv2-nsfwjs.weights.bin';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tarball = process.argv[2];
if (!tarball) {
  console.error('usage: node scripts/vendor-nsfwjs.mjs <path to nsfwjs-X.Y.Z.tgz>');
  process.exit(2);
}
const outDir = join(root, 'models', 'mobilenetv2-nsfwjs');

const work = mkdtempSync(join(tmpdir(), 'nsfwjs-'));
try {
  execFileSync('tar', ['xzf', tarball, '-C', work]);
  const pkgDir = join(work, 'package');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const require = createRequire(join(pkgDir, 'package.json'));
  const model = require('./dist/models/mobilenet_v2/model.min.js');
  const shard = Buffer.from(
    require('./dist/models/mobilenet_v2/group1-shard1of1.min.js'),
    'base64',
  );

  const { topology, weightSpecs, weightData } = truncate(model, shard);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, WEIGHTS_FILE), weightData);
  const modelJson = {
    format: 'layers-model',
    generatedBy: `scripts/vendor-nsfwjs.mjs from nsfwjs ${pkg.version}`,
    modelTopology: topology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weightSpecs }],
  };
  writeFileSync(join(outDir, 'model.json'), JSON.stringify(modelJson));
  copyFileSync(join(pkgDir, 'LICENSE'), join(outDir, 'LICENSE'));

  const sha = (buf) => createHash('sha256').update(buf).digest('hex');
  console.log(`nsfwjs ${pkg.version}, tarball sha256 ${sha(readFileSync(tarball))}`);
  console.log(`model.json sha256 ${sha(readFileSync(join(outDir, 'model.json')))}`);
  console.log(`${WEIGHTS_FILE} sha256 ${sha(weightData)} (${weightData.length} bytes)`);
  console.log(
    `${topology.model_config.config.layers.length} layers, ${weightSpecs.length} tensors`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Keeps layers up to LAST_LAYER, appends GAP, and slices the shard to the kept weights. */
function truncate(model, shard) {
  const topology = structuredClone(model.modelTopology);
  const config = topology.model_config.config;
  const cut = config.layers.findIndex((l) => l.name === LAST_LAYER);
  if (cut < 0) throw new Error(`layer ${LAST_LAYER} not found`);
  const layers = config.layers.slice(0, cut + 1);
  layers[0].config.batch_input_shape = [null, null, null, 3];
  layers.push({
    name: POOL_LAYER,
    class_name: 'GlobalAveragePooling2D',
    config: { name: POOL_LAYER, trainable: false, data_format: 'channels_last' },
    inbound_nodes: [[[LAST_LAYER, 0, 0, {}]]],
  });
  config.layers = layers;
  config.output_layers = [[POOL_LAYER, 0, 0]];
  // The training config belonged to the NSFW head; it is meaningless for a feature extractor.
  delete topology.training_config;

  const kept = new Set(layers.map((l) => l.name));
  const weightSpecs = [];
  const parts = [];
  let offset = 0;
  for (const spec of model.weightsManifest.flatMap((g) => g.weights)) {
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * bytesPer(spec);
    if (kept.has(spec.name.split('/')[0])) {
      weightSpecs.push(spec);
      parts.push(shard.subarray(offset, offset + bytes));
    }
    offset += bytes;
  }
  if (offset !== shard.length) throw new Error(`shard is ${shard.length} bytes, specs ${offset}`);
  return { topology, weightSpecs, weightData: Buffer.concat(parts) };
}

function bytesPer(spec) {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const sizes = { uint8: 1, uint16: 2, float16: 2, float32: 4, int32: 4 };
  if (!(dtype in sizes)) throw new Error(`unexpected weight dtype ${dtype} for ${spec.name}`);
  return sizes[dtype];
}
