import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    const { stdout, stderr } = await runCli(args);
    // 8 px is under the default 24 px gate: the note says why the node answers none.
    expect(stderr).to.equal(
      "maskwatch: note: --size 8 leaves nearly every face's shorter side under --min-face-px 24, " +
        'so the node would call them too small; the figures over every face are unaffected ' +
        "(lower --min-face-px to see the node's answers)\n",
    );
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

  it('names a face file that is not an image, and a truncated JPEG, in one line', async () => {
    const broken = await drawnFaceFolder();
    const text = join(broken, 'with_mask', 'broken.jpg');
    writeFileSync(text, 'not an image\n');
    const notImage = await runCli(['evaluate', broken]);
    expect(notImage.code).to.equal(1);
    expect(notImage.stderr).to.equal(
      `maskwatch: face image ${text}: cannot be decoded ` +
        '(Input file contains unsupported image format)\n',
    );
    rmSync(text);
    const jpeg = await sharp(readFileSync(join(broken, 'without_mask', 'face-2.png')))
      .jpeg()
      .toBuffer();
    const truncated = join(broken, 'without_mask', 'cut.jpg');
    writeFileSync(truncated, jpeg.subarray(0, jpeg.length >> 1));
    const cut = await runCli(['evaluate', broken]);
    expect(cut.code).to.equal(1);
    expect(cut.stderr).to.match(new RegExp(`^maskwatch: face image ${truncated}: cannot be `));
    expect(cut.stderr.trimEnd().split('\n')).to.have.length(1);
  });

  it('refuses a plot in a missing folder before scoring, in one line naming it', async () => {
    const { code, stdout, stderr } = await runCli([
      'evaluate',
      folder,
      '--plot',
      '/nonexistent-dir/x.png',
    ]);
    expect(code).to.equal(1);
    expect(stdout).to.equal('');
    expect(stderr).to.equal(
      'maskwatch: --plot /nonexistent-dir/x.png: folder /nonexistent-dir does not exist\n',
    );
  });

  it('still prints the figures when the plot cannot be written, then names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maskwatch-eval-plot-'));
    const { code, stdout, stderr } = await runCli(['evaluate', folder, '--json', '--plot', dir]);
    expect(code).to.equal(1);
    expect(JSON.parse(stdout).count).to.equal(3 * PER_CLASS);
    expect(stderr).to.equal(`maskwatch: confusion plot ${dir}: cannot be written (EISDIR)\n`);
  });

  it('takes a shipped model by the folder name its reports give', async () => {
    const byName = JSON.parse((await runCli(['evaluate', folder, '--json'])).stdout);
    const byFolder = await runCli(['evaluate', folder, '--json', '--model', byName.model]);
    expect(byName.model).to.equal('mask-classifier-mnv2');
    expect(byFolder.code).to.equal(0);
    expect(JSON.parse(byFolder.stdout).confusion).to.deep.equal(byName.confusion);
  });

  it('lists the shipped model names when --model is neither one nor a file', async () => {
    const { code, stderr } = await runCli(['evaluate', folder, '--model', 'nope']);
    expect(code).to.equal(1);
    expect(stderr).to.equal(
      `maskwatch: model file ${join(process.cwd(), 'nope')}: not found (shipped models: ` +
        'mobilenetv2-finetuned, mobilenetv2-head; or give a path to an .onnx file)\n',
    );
  });

  it('notes a folder without incorrect faces in three-class mode, and keeps the figures', async () => {
    const twoClass = await drawnFaceFolder();
    rmSync(join(twoClass, 'mask_worn_incorrectly'), { recursive: true });
    const { code, stdout, stderr } = await runCli(['evaluate', twoClass, '--json']);
    expect(code).to.equal(0);
    expect(stderr).to.equal(
      `maskwatch: note: ${twoClass} has no faces in mask_worn_incorrectly/, so the incorrect ` +
        'class has no support; use --classes 2 to score mask vs no_mask only\n',
    );
    const report = JSON.parse(stdout);
    expect(report.labels).to.deep.equal(['mask', 'no_mask', 'incorrect']);
    expect(report.count).to.equal(2 * PER_CLASS);
    expect(report.classes.incorrect.support).to.equal(0);
    const twoClassRun = await runCli(['evaluate', twoClass, '--json', '--classes', '2']);
    expect(twoClassRun.stderr).to.equal('');
  });

  it('names the folder when it has no class subfolders', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'maskwatch-eval-empty-'));
    const { code, stderr } = await runCli(['evaluate', empty]);
    expect(code).to.equal(1);
    expect(stderr).to.contain(`face folder ${empty} has no images in with_mask/`);
  });
});
