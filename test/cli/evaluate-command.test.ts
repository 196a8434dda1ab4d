import { expect } from 'chai';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { main } from '../../src/cli/main';

/** Faces per class folder in the drawn test set. */
const PER_CLASS = 3;

/** A folder in the evaluate layout with drawn (not photographed) faces of two sizes. */
async function drawnFaceFolder(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'maskwatch-eval-'));
  const folders = ['with_mask', 'without_mask', 'mask_worn_incorrectly'];
  for (const [k, folder] of folders.entries()) {
    mkdirSync(join(root, folder));
    for (let i = 0; i < PER_CLASS; i += 1) {
      const width = 30 + 20 * i;
      const height = 36 + 20 * i;
      const pixels = Buffer.alloc(width * height * 3);
      for (let p = 0; p < pixels.length; p += 1) pixels[p] = (p * (k + 3) + i * 17) % 256;
      await sharp(pixels, { raw: { width, height, channels: 3 } })
        .png()
        .toFile(join(root, folder, `face-${i}.png`));
    }
  }
  return root;
}

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(chunk) > 0) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'maskwatch', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

describe('maskwatch evaluate', function () {
  this.timeout(60_000);
  let folder: string;
  before(async () => {
    folder = await drawnFaceFolder();
  });

  it('prints per-class figures that agree with its own confusion matrix, and plots it', async () => {
    const plot = join(folder, 'confusion.png');
    const { code, stdout } = await runCli(['evaluate', folder, '--json', '--plot', plot]);
    expect(code).to.equal(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report.classes)).to.deep.equal(['mask', 'no_mask', 'incorrect']);
    const confusion = report.confusion as number[][];
    confusion.forEach((row, t) => {
      const label = report.labels[t];
      const support = row.reduce((a, b) => a + b, 0);
      const predicted = confusion.reduce((a, r) => a + r[t]!, 0);
      expect(report.classes[label].support).to.equal(PER_CLASS);
      expect(support).to.equal(PER_CLASS);
      expect(report.classes[label].recall).to.equal(row[t]! / support);
      expect(report.classes[label].precision).to.equal(predicted > 0 ? row[t]! / predicted : 0);
    });
    const correct = confusion.reduce((a, row, i) => a + row[i]!, 0);
    expect(report.accuracy).to.equal(correct / (3 * PER_CLASS));
    const meta = await sharp(plot).metadata();
    expect(meta.format).to.equal('png');
    expect(meta.width).to.be.above(200);
  });

  it('leaves the incorrect class out in two-class mode', async () => {
    const { code, stdout } = await runCli(['evaluate', folder, '--json', '--classes', '2']);
    expect(code).to.equal(0);
    const report = JSON.parse(stdout);
    expect(report.labels).to.deep.equal(['mask', 'no_mask']);
    expect(report.count).to.equal(2 * PER_CLASS);
  });

  it('downscales every face with --size, so the node would call all of them too small', async () => {
    const args = ['evaluate', folder, '--json', '--size', '8', '--min-score', '0', '--sweep'];
    const { stdout } = await runCli(args);
    const report = JSON.parse(stdout);
    expect(report.sizePx).to.equal(8);
    expect(report.answered.coverage).to.equal(0);
    expect(report.answered.unknown).to.deep.equal({ 'too small': 3 * PER_CLASS });
    type Row = { minScore: number; minFacePx: number; coverage: number };
    const at = (minFacePx: number) =>
      (report.sweep as Row[]).find((r) => r.minScore === 0 && r.minFacePx === minFacePx)!;
    expect(at(1).coverage).to.equal(1);
    expect(at(12).coverage).to.equal(0);
  });

  it('names the folder when it has no class subfolders', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'maskwatch-eval-empty-'));
    const { code, stderr } = await runCli(['evaluate', empty]);
    expect(code).to.equal(1);
    expect(stderr).to.contain(`face folder ${empty} has no images in with_mask/`);
  });
});
