/**
 * The PyTorch training pipeline end to end on drawn faces (no real data needed): the Keras port
 * matches tfjs, one short epoch trains, and the exported ONNX file reproduces in ONNX Runtime
 * the PyTorch outputs recorded beside it. Needs Debian's python3-torch: without it the suite is
 * skipped with the reason, except under CI, where that is a failure.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTrainingPython } from '../../training/python';
import { repoRoot } from '../support/demo-media';
import { expectMatchesReference } from '../support/classifier-reference';

/** A smoke run: drawn faces per class and source, steps of a tiny batch, one epoch. */
const SMOKE_ARGS = ['--synthetic', '6', '--epochs', '1', '--max-steps', '2', '--batch', '8'];

describe('training pipeline (PyTorch → ONNX)', function () {
  this.timeout(240_000);
  const root = repoRoot();
  let python: string;

  before(function () {
    const found = findTrainingPython();
    if (found.python === undefined) {
      if (process.env.CI) throw new Error(`CI must run the training tests: ${found.why}`);
      console.log(`      skipped: ${found.why}`);
      this.skip();
    }
    python = found.python;
  });

  function run(args: string[]) {
    const result = spawnSync(python, args, { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stderr}`);
    return result;
  }

  it('ports the nsfwjs MobileNetV2 to PyTorch with tfjs outputs reproduced', () => {
    const result = run(['-m', 'unittest', 'discover', '-s', 'training/tests', '-t', 'training']);
    expect(result.stderr).to.match(/Ran \d+ tests[\s\S]*\nOK\n?$/);
  });

  it('trains one short epoch and exports a model ONNX Runtime runs as PyTorch did', async () => {
    const out = mkdtempSync(join(tmpdir(), 'maskwatch-train-'));
    run(['training/train.py', ...SMOKE_ARGS, '--out', out]);
    const config = JSON.parse(readFileSync(join(out, 'training-config.json'), 'utf8'));
    expect(config).to.include({ mode: 'after20', seed: 1, size: 96, epochs: 1 });
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.epochs).to.have.length(1);
    expect(metrics.epochs[0].loss).to.be.a('number').and.above(0);
    const manifest = readFileSync(join(out, 'data-manifest.csv'), 'utf8').trim().split('\n');
    // 6 drawn faces per class folder: chandrika 2, ILC 3, MaskedFace-Net's incorrect only.
    expect(manifest).to.have.length(1 + 6 * 6);
    expect(manifest[1]).to.match(/,[0-9a-f]{64}$/);
    const reference = JSON.parse(readFileSync(join(out, 'reference.json'), 'utf8'));
    await expectMatchesReference(join(out, 'mask-classifier.onnx'), reference);
  });
});
