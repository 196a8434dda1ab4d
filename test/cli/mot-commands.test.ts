/**
 * The MOT subcommands as a user runs them: `maskwatch track` on committed detections,
 * `maskwatch mot-eval` on its output, and `maskwatch mot` on a few frames of the PETS09 demo clip.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMot } from '../../src/core/mot-format';
import { demoClip, NO_CLIP_REASON, repoRoot } from '../support/demo-media';

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'mot');
/** Frames `maskwatch mot` runs pose on here: enough to confirm tracks, few enough to be quick. */
const MOT_FRAMES = 8;

function maskwatch(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'bin', 'maskwatch.js'), ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('maskwatch track / mot-eval / mot', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'maskwatch-mot-'));
    const dets = readFileSync(join(FIXTURES, 'pets09-s2l1.movenet-384.det.txt'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && Number(line.split(',')[0]) <= 150);
    writeFileSync(join(dir, 'det.txt'), `${dets.join('\n')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('tracks MOT detections into MOT tracks, and scores them against ground truth as JSON', async () => {
    const res = join(dir, 'res.txt');
    const track = await maskwatch([
      'track',
      '--det',
      join(dir, 'det.txt'),
      '--out',
      res,
      '--frames',
      '150',
    ]);
    expect(track.code, track.stderr).to.equal(0);
    expect(track.stdout).to.match(/res\.txt: \d+ boxes, \d+ tracks over 150 frames/);
    const rows = parseMot(readFileSync(res, 'utf8'));
    expect(rows.length).to.be.above(300);
    expect(rows.every((r) => r.id >= 1 && r.frame >= 1 && r.frame <= 150)).to.equal(true);

    const gt = join(FIXTURES, 'pets09-s2l1.frames-1-150.gt.txt');
    const evaluation = await maskwatch(['mot-eval', '--gt', gt, '--res', res, '--json']);
    expect(evaluation.code, evaluation.stderr).to.equal(0);
    const figures = JSON.parse(evaluation.stdout) as Record<string, number>;
    for (const key of [
      'mota',
      'idf1',
      'idSwitches',
      'fragments',
      'precision',
      'recall',
      'gtIds',
      'resIds',
    ]) {
      expect(figures, key).to.have.property(key).that.is.a('number');
    }
    expect(figures.gtIds).to.equal(8);
    expect(figures.idf1).to.be.within(0.5, 1);
    expect(figures.resIds).to.equal(new Set(rows.map((r) => r.id)).size);
  });

  it('scores ground truth against itself as perfect', async () => {
    const gt = join(FIXTURES, 'pets09-s2l1.frames-1-150.gt.txt');
    const { code, stdout } = await maskwatch(['mot-eval', '--gt', gt, '--res', gt, '--json']);
    expect(code).to.equal(0);
    expect(JSON.parse(stdout)).to.include({
      mota: 1,
      idf1: 1,
      idSwitches: 0,
      fragments: 0,
      precision: 1,
    });
  });

  it('fails with the file, line and column of a malformed detection', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '1,-1,10,20,30,40,0.9\n2,-1,10,twenty,30,40,0.9\n');
    const { code, stderr } = await maskwatch(['track', '--det', bad, '--out', join(dir, 'x.txt')]);
    expect(code).to.equal(1);
    expect(stderr).to.include('bad.txt:2: bb_top must be a finite number, got "twenty"');
  });

  it('fails on a bad tracker option, naming it', async () => {
    const args = [
      'track',
      '--det',
      join(dir, 'det.txt'),
      '--out',
      join(dir, 'y.txt'),
      '--max-age',
      '0',
    ];
    const { code, stderr } = await maskwatch(args);
    expect(code).to.equal(1);
    expect(stderr).to.include('maxAgeFrames must be an integer ≥ 1, got "0"');
  });

  it(`detects and tracks people in the first ${MOT_FRAMES} frames of a video, keeping the detections`, async function () {
    const clip = demoClip('pets09-excerpt');
    if (clip === undefined) {
      console.log(`      skipped: ${NO_CLIP_REASON}`);
      this.skip();
    }
    const res = join(dir, 'mot-res.txt');
    const det = join(dir, 'mot-det.txt');
    const args = [
      'mot',
      clip,
      '--out',
      res,
      '--det-out',
      det,
      '--max-frames',
      String(MOT_FRAMES),
      '--min-hits',
      '1',
    ];
    const { code, stdout, stderr } = await maskwatch(args);
    expect(code, stderr).to.equal(0);
    expect(stdout).to.include(`over ${MOT_FRAMES} frames`);
    const detections = parseMot(readFileSync(det, 'utf8'));
    const tracks = parseMot(readFileSync(res, 'utf8'));
    // PETS09's first frames show 5–6 people; MoveNet finds several of them in each frame.
    expect(new Set(detections.map((d) => d.frame)).size).to.equal(MOT_FRAMES);
    expect(detections.length).to.be.at.least(2 * MOT_FRAMES);
    expect(detections.every((d) => d.id === -1 && d.box.x2 <= 768 && d.box.y2 <= 576)).to.equal(
      true,
    );
    expect(tracks.length).to.be.at.least(MOT_FRAMES);
    expect(Math.max(...tracks.map((t) => t.frame))).to.equal(MOT_FRAMES);
  });
});
