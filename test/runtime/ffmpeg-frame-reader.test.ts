import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertFrame } from '../../src/core/frame';
import { ffmpegPath, ffprobePath } from '../../src/runtime/ffmpeg-binary';
import { openVideo, outputSize } from '../../src/runtime/ffmpeg-frame-reader';
import { NO_CLIP_REASON, demoClip } from '../support/demo-media';

/** Frame count and size as ffprobe states them after decoding every frame (the ground truth). */
function countedByFfprobe(path: string): { frames: number; width: number; height: number } {
  const out = execFileSync(ffprobePath(), [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_frames'],
    ...['-show_entries', 'stream=nb_read_frames,width,height', '-of', 'json', path],
  ]).toString();
  const stream = JSON.parse(out).streams[0];
  return { frames: Number(stream.nb_read_frames), width: stream.width, height: stream.height };
}

/** Whether process `pid` still exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of ffmpeg processes that are children of this test process. */
function ffmpegChildren(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)]).toString();
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, comm]) => comm === 'ffmpeg')
    .map(([pid]) => Number(pid));
}

describe('ffmpeg-frame-reader', function () {
  this.timeout(30_000);
  let clip: string;

  before(function () {
    const found = demoClip('corridor-masked-person');
    if (found === undefined) {
      console.warn(`      skipped: ${NO_CLIP_REASON}`);
      this.skip();
    }
    clip = found;
  });

  it('reads every frame of the corridor excerpt at the size ffprobe counts', async function () {
    const truth = countedByFfprobe(clip);
    const reader = await openVideo(clip);
    expect(reader.info.frameCount).to.equal(truth.frames);
    let count = 0;
    for await (const frame of reader) {
      assertFrame(frame);
      expect(frame.index).to.equal(count);
      expect(frame.timestampMs).to.be.closeTo((count * 1000) / reader.info.fps, 1e-9);
      expect(frame.source).to.equal(clip);
      count += 1;
    }
    expect(count).to.equal(truth.frames);
    expect([reader.frameWidth, reader.frameHeight]).to.deep.equal([truth.width, truth.height]);
  });

  it('scales to a requested width, keeping the aspect with an even height', async function () {
    const reader = await openVideo(clip, { width: 320, maxFrames: 2 });
    const frames = [];
    for await (const frame of reader) frames.push(frame);
    expect(frames).to.have.length(2);
    expect([frames[0].width, frames[0].height]).to.deep.equal([320, 180]);
    expect(frames[0].data.length).to.equal(320 * 180 * 3);
  });

  it('decodes the pixels ffmpeg decodes (first frame equals a separate rgb24 decode)', async function () {
    const reference = execFileSync(
      ffmpegPath(),
      [
        ...['-v', 'error', '-i', clip, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24'],
        'pipe:1',
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const reader = await openVideo(clip, { maxFrames: 1 });
    const frames = [];
    for await (const frame of reader) frames.push(frame);
    expect(frames[0].data.equals(reference)).to.equal(true);
  });

  it('stops after maxFrames', async function () {
    const reader = await openVideo(clip, { maxFrames: 7 });
    const indices: number[] = [];
    for await (const frame of reader) indices.push(frame.index);
    expect(indices).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
  });

  it('kills ffmpeg when closed mid-stream, and close() is idempotent', async function () {
    const before = new Set(ffmpegChildren());
    const reader = await openVideo(clip);
    const started = ffmpegChildren().filter((pid) => !before.has(pid));
    expect(started).to.have.length(1);
    const iterator = reader[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).to.equal(false);
    await Promise.all([reader.close(), reader.close()]);
    await reader.close();
    expect(alive(started[0])).to.equal(false);
    expect(ffmpegChildren().filter((pid) => !before.has(pid))).to.deep.equal([]);
    expect((await iterator.next()).done).to.equal(true);
  });

  it('kills ffmpeg when the consumer breaks out of the loop', async function () {
    const before = new Set(ffmpegChildren());
    const reader = await openVideo(clip);
    for await (const frame of reader) {
      if (frame.index === 3) break;
    }
    expect(ffmpegChildren().filter((pid) => !before.has(pid))).to.deep.equal([]);
    expect(reader.framesRead).to.equal(4);
  });

  it('keeps at most a few frames buffered while the consumer lags', async function () {
    const reader = await openVideo(clip, { maxBufferedFrames: 2 });
    const iterator = reader[Symbol.asyncIterator]();
    await iterator.next();
    // Let ffmpeg run ahead: without backpressure it would decode the whole clip meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const queued = (reader as unknown as { queue: Buffer[] }).queue.length;
    expect(queued).to.be.at.most(3);
    await reader.close();
  });

  it('delivers the frames decoded before ffmpeg fails, then throws its last stderr line', async () => {
    const fake = join(tmpdir(), `maskwatch-failing-ffmpeg-${process.pid}.sh`);
    const frameBytes = 640 * 360 * 3;
    // Stands in for an ffmpeg that decodes one frame and then hits a corrupt packet.
    writeFileSync(
      fake,
      `#!/bin/sh\nhead -c ${frameBytes} /dev/zero\necho "first line" >&2\n` +
        `echo "Error while decoding stream #0:0: Invalid data found" >&2\nexit 1\n`,
      { mode: 0o755 },
    );
    try {
      const reader = await openVideo(clip, { ffmpegPath: fake });
      const indices: number[] = [];
      let message = '';
      try {
        for await (const frame of reader) indices.push(frame.index);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(indices).to.deep.equal([0]);
      expect(message).to.equal(
        `ffmpeg failed on ${clip}: Error while decoding stream #0:0: Invalid data found`,
      );
    } finally {
      rmSync(fake, { force: true });
    }
  });

  it('says "video file not found" for a missing file', async () => {
    const missing = join(tmpdir(), 'maskwatch-no-such-video.mp4');
    let message = '';
    await openVideo(missing).catch((err: Error) => (message = err.message));
    expect(message).to.equal(`video file not found: ${missing}`);
  });

  it('says "not a readable video" with ffprobe\'s reason for a text file named .mp4', async () => {
    const fake = join(tmpdir(), `maskwatch-not-a-video-${process.pid}.mp4`);
    writeFileSync(fake, 'this is not a video\n');
    try {
      let message = '';
      await openVideo(fake).catch((err: Error) => (message = err.message));
      expect(message).to.match(
        new RegExp(`^${fake.replace(/[.]/g, '\\.')} is not a readable video: .+`),
      );
      expect(message).to.include('Invalid data found when processing input');
    } finally {
      rmSync(fake, { force: true });
    }
  });

  it('says a zero-byte file is empty, before ffprobe is asked', async () => {
    const empty = join(tmpdir(), `maskwatch-empty-${process.pid}.mp4`);
    writeFileSync(empty, '');
    try {
      let message = '';
      await openVideo(empty).catch((err: Error) => (message = err.message));
      expect(message).to.equal(`${empty} is not a readable video: the file is empty`);
    } finally {
      rmSync(empty, { force: true });
    }
  });

  it('computes output sizes with an even height and rejects a width of 1', () => {
    expect(outputSize(1920, 1080, 640)).to.deep.equal({ width: 640, height: 360 });
    expect(outputSize(768, 576, 0)).to.deep.equal({ width: 768, height: 576 });
    expect(outputSize(1920, 1080, 100)).to.deep.equal({ width: 100, height: 56 });
    expect(() => outputSize(640, 360, 1)).to.throw(RangeError, 'width must be 0 (native)');
  });
});
