import { expect } from 'chai';
import { classifyFfmpegFailure } from '../../src/core/ffmpeg-failure';

const exit1 = { code: 1, signal: null };

describe('ffmpeg-failure', () => {
  it('takes 401 and 403 as fatal: wrong credentials do not heal by retrying', () => {
    const rtsp = ['[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized'];
    expect(classifyFfmpegFailure(rtsp, exit1)).to.deep.equal({
      reason: 'authentication failed (401 Unauthorized)',
      fatal: true,
    });
    const http = ['http://cam/x: Server returned 403 Forbidden (access denied)'];
    expect(classifyFfmpegFailure(http, exit1).fatal).to.equal(true);
  });

  it('retries what a rebooting camera or a network drop gives', () => {
    const cases = [
      ['rtsp://cam: Connection refused', 'connection refused'],
      ['http://cam: Server returned 404 Not Found', 'stream not found (404)'],
      ['Failed to resolve hostname nohost.invalid: Name or service not known', 'host not found'],
      [
        'http://cam: Invalid data found when processing input',
        'not a readable stream (invalid data)',
      ],
    ];
    for (const [line, reason] of cases) {
      expect(classifyFfmpegFailure([line], exit1)).to.deep.equal({ reason, fatal: false });
    }
  });

  it('falls back to the last line, then to the exit status', () => {
    expect(classifyFfmpegFailure(['a', 'something odd'], exit1).reason).to.equal('something odd');
    expect(classifyFfmpegFailure([], { code: 0, signal: null }).reason).to.equal(
      'the stream ended',
    );
    expect(classifyFfmpegFailure([], { code: null, signal: 'SIGSEGV' }).reason).to.equal(
      'ffmpeg exited (SIGSEGV)',
    );
  });
});
