import { expect } from 'chai';
import { writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBinary } from '../../src/runtime/ffmpeg-binary';

describe('ffmpeg-binary', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'maskwatch-ffmpeg-binary-'));
    writeFileSync(join(dir, 'ffmpeg'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(dir, 'not-executable'), '', { mode: 0o644 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers the path in MASKWATCH_FFMPEG', () => {
    const env = { MASKWATCH_FFMPEG: join(dir, 'ffmpeg'), PATH: '/usr/bin' };
    expect(resolveBinary('ffmpeg', env)).to.deep.equal({
      path: join(dir, 'ffmpeg'),
      origin: 'env',
    });
  });

  it('rejects a MASKWATCH_FFPROBE that is not executable, naming the variable', () => {
    const env = { MASKWATCH_FFPROBE: join(dir, 'not-executable') };
    expect(() => resolveBinary('ffprobe', env)).to.throw(
      `MASKWATCH_FFPROBE is set to ${join(dir, 'not-executable')}, which is not an executable file`,
    );
  });

  it('finds the executable on PATH', () => {
    expect(resolveBinary('ffmpeg', { PATH: `/nonexistent:${dir}` })).to.deep.equal({
      path: join(dir, 'ffmpeg'),
      origin: 'path',
    });
  });

  it('falls back to the binary of the optional npm package when PATH has none', function () {
    let found;
    try {
      found = resolveBinary('ffprobe', { PATH: '' });
    } catch (err) {
      // Without the optional package the error must say how to get ffprobe.
      expect((err as Error).message).to.include('@ffprobe-installer/ffprobe');
      this.skip();
    }
    expect(found?.origin).to.equal('npm');
    expect(found?.path).to.match(/ffprobe$/);
  });
});
