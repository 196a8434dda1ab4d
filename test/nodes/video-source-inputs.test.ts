import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Frame } from '../../src/core/types';
import {
  catchNode,
  helper,
  statusesOf,
  useNodeRed,
  type Msg,
  type TestNode,
} from '../support/flow-harness';
import { NO_CLIP_REASON, demoClip } from '../support/demo-media';
import { sleep, until } from '../support/processes';
import { rtspServerAvailable, startRtspServer, type RtspServer } from '../support/rtsp-server';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const videoSourceNode = require('../../nodes/video-source/video-source');

/** The corridor clip: 85 frames at 15 fps, 640×360. */
const CLIP_FRAMES = 85;

interface Loaded {
  node: TestNode;
  frames: Msg[];
  events: Msg[];
  caught: Msg[];
}

/** `video-source` with both outputs and a Catch node wired to helper nodes. */
async function load(
  config: Record<string, unknown>,
  credentials?: Record<string, unknown>,
): Promise<Loaded> {
  const flow = [
    { id: 'tab', type: 'tab' },
    { id: 'src', z: 'tab', type: 'video-source', wires: [['frames'], ['events']], ...config },
    { id: 'frames', z: 'tab', type: 'helper' },
    { id: 'events', z: 'tab', type: 'helper' },
    {
      id: 'catcher',
      z: 'tab',
      type: 'catch',
      scope: ['src'],
      uncaught: false,
      wires: [['caught']],
    },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
  await helper.load(
    [videoSourceNode, catchNode],
    flow,
    credentials ? { src: credentials } : undefined,
  );
  const loaded: Loaded = {
    node: helper.getNode('src') as unknown as TestNode,
    frames: [],
    events: [],
    caught: [],
  };
  helper.getNode('frames').on('input', (msg: Msg) => loaded.frames.push(msg));
  helper.getNode('events').on('input', (msg: Msg) => loaded.events.push(msg));
  helper.getNode('caught').on('input', (msg: Msg) => loaded.caught.push(msg));
  return loaded;
}

const eventsOf = (l: Loaded) => l.events.map((m) => (m.payload as { event: string }).event);
const framesOf = (l: Loaded) => l.frames.map((m) => m.frame as Frame);
const lastStatus = (l: Loaded) => statusesOf(l.node).at(-1);
/** The caught errors' messages, without the "TypeError: " that done(err) puts before them. */
const caughtMessages = (l: Loaded) =>
  l.caught.map((m) => (m.error as { message: string }).message.replace(/^\w*Error: /, ''));

describe('video-source node on every kind of input', function () {
  this.timeout(60_000);
  useNodeRed();
  let clip: string;
  let scratch: string;

  before(function () {
    const found = demoClip('corridor-masked-person');
    if (found === undefined) {
      console.warn(`      skipped: ${NO_CLIP_REASON}`);
      this.skip();
    }
    clip = found;
    scratch = mkdtempSync(join(tmpdir(), 'maskwatch-video-source-'));
  });
  after(() => scratch && rmSync(scratch, { recursive: true, force: true }));

  describe('settings', () => {
    it('refuses a stream URL with a password in it: red ring, not started', async () => {
      const l = await load({ sourceType: 'stream', url: 'rtsp://admin:hunter2@127.0.0.1/cam' });
      expect(lastStatus(l)).to.include({ fill: 'red', shape: 'ring' });
      expect(String(lastStatus(l)?.text)).to.match(/^url must not contain a user or password/);
      expect(l.node.listenerCount('input')).to.equal(0);
    });

    it('names the field, the rule and the value of a bad setting', async () => {
      const l = await load({ sourceType: 'webcam' });
      expect(lastStatus(l)).to.include({ fill: 'red', shape: 'ring' });
      expect(String(lastStatus(l)?.text)).to.match(/^sourceType must be one of file \/ stream \//);
      await helper.unload();
      const l2 = await load({ sourceType: 'stream', url: 'rtsp://127.0.0.1/cam', stallTimeout: 0 });
      expect(lastStatus(l2)?.text).to.equal('stallTimeout must be between 0.5 and 86400, got 0');
    });
  });

  describe('files', () => {
    it('drops frames to a target frame rate: 15 fps → 5 fps keeps every third frame', async () => {
      const l = await load({ file: clip, fps: 5, pacing: 'ack', inFlight: 100, width: 320 });
      l.node.receive({ payload: 'start' });
      await until(() => eventsOf(l).includes('end'), 30_000, 'the end of the clip');
      const indices = framesOf(l).map((f) => f.index);
      expect(indices).to.deep.equal(
        Array.from({ length: Math.ceil(CLIP_FRAMES / 3) }, (_, k) => 3 * k),
      );
      const end = l.events.at(-1)!.payload as { frames: number; dropped: number; width: number };
      expect(end).to.include({
        frames: indices.length,
        dropped: CLIP_FRAMES - indices.length,
        width: 320,
      });
    });

    it('pauses and resumes where it was', async () => {
      const l = await load({ file: clip, width: 160 });
      l.node.receive({ payload: 'start' });
      await until(() => l.frames.length >= 3, 20_000, '3 frames');
      l.node.receive({ payload: 'pause' });
      await sleep(300);
      const atPause = l.frames.length;
      await sleep(1000);
      expect(l.frames.length).to.equal(atPause);
      expect(lastStatus(l)?.text).to.equal('paused');
      l.node.receive({ payload: 'resume' });
      await until(() => l.frames.length >= atPause + 3, 20_000, 'frames after resume');
      const indices = framesOf(l).map((f) => f.index);
      expect(indices).to.deep.equal(indices.map((_, i) => i));
      l.node.receive({ payload: 'stop' });
    });

    it('loops with index and media time going on, never backwards', async () => {
      const l = await load({
        file: clip,
        maxFrames: 3,
        loop: true,
        pacing: 'ack',
        inFlight: 100,
        width: 160,
      });
      l.node.receive({ payload: 'start' });
      await until(() => l.frames.length >= 9, 20_000, 'three passes');
      l.node.receive({ payload: 'stop' });
      const frames = framesOf(l).slice(0, 9);
      expect(frames.map((f) => f.index)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(frames[8].timestampMs).to.be.closeTo((8 * 1000) / 15, 1e-6);
    });

    const badFiles: [string, () => string, RegExp][] = [
      [
        'a text file renamed .mp4',
        () => {
          const path = join(scratch, 'notes.mp4');
          writeFileSync(path, 'meeting notes, not a video\n');
          return path;
        },
        /is not a readable video: .*Invalid data found/,
      ],
      [
        'an MP4 cut off in the middle',
        () => {
          const path = join(scratch, 'cut.mp4');
          writeFileSync(path, readFileSync(clip).subarray(0, 100_000));
          return path;
        },
        /truncated or corrupt, \d+ of 85 frames decoded/,
      ],
      [
        'an MP4 cut off in its header',
        () => {
          const path = join(scratch, 'header.mp4');
          writeFileSync(path, readFileSync(clip).subarray(0, 1500));
          return path;
        },
        /is not a readable video: /,
      ],
    ];
    for (const [what, make, message] of badFiles) {
      it(`fails ${what} with a red status and an error for Catch, and plays the next start`, async () => {
        const l = await load({ pacing: 'ack', inFlight: 100, width: 160 });
        const path = make();
        l.node.receive({ payload: 'start', filename: path });
        await until(() => l.caught.length === 1, 20_000, 'the error');
        expect(caughtMessages(l)[0]).to.match(message);
        expect(lastStatus(l)).to.include({ fill: 'red', shape: 'ring' });
        l.node.receive({ payload: 'start', filename: clip });
        await until(
          () => eventsOf(l).includes('end') && l.frames.length >= CLIP_FRAMES,
          30_000,
          'the good clip',
        );
        expect(lastStatus(l)?.text).to.equal(`ended · ${CLIP_FRAMES} frames`);
      });
    }
  });

  describe('images', () => {
    it('decodes an image in msg.payload into msg.frame and keeps the rest of the message', async () => {
      const l = await load({ sourceType: 'message', width: 320, topic: 'door' });
      const png = await sharp({
        create: {
          width: 800,
          height: 600,
          channels: 4,
          background: { r: 200, g: 10, b: 30, alpha: 1 },
        },
      })
        .png()
        .toBuffer();
      const res = { marker: 'http response' };
      l.node.receive({ payload: png, res });
      await until(() => l.frames.length === 1, 10_000, 'the frame');
      const msg = l.frames[0];
      const frame = msg.frame as Frame;
      expect(frame).to.include({
        width: 320,
        height: 240,
        channels: 3,
        index: 0,
        source: 'msg.payload',
      });
      expect([...frame.data.subarray(0, 3)]).to.deep.equal([200, 10, 30]);
      expect(msg.res).to.deep.equal(res);
      expect(msg.topic).to.equal('door');
      expect(msg.payload).to.equal(png);
      l.node.receive({ payload: Buffer.from('not an image') });
      await until(() => l.caught.length === 1, 10_000, 'the error');
      expect(caughtMessages(l)[0]).to.match(/^msg.payload is not an image that can be decoded: /);
    });

    it('plays a folder of images in natural order, skipping an unreadable one', async () => {
      const dir = mkdtempSync(join(scratch, 'shots-'));
      for (const i of [1, 2, 10]) {
        const background = { r: i * 20, g: 0, b: 0 };
        await sharp({ create: { width: 64, height: 48, channels: 3, background } })
          .jpeg({ quality: 100 })
          .toFile(join(dir, `shot${i}.jpg`));
      }
      writeFileSync(join(dir, 'shot5.jpg'), 'truncated');
      const l = await load({ sourceType: 'images', images: dir, imageFps: 50, width: 0 });
      l.node.receive({ payload: 'start' });
      await until(() => eventsOf(l).includes('end'), 10_000, 'the end of the folder');
      const frames = framesOf(l);
      expect(frames.map((f) => f.source.split('/').pop())).to.deep.equal([
        'shot1.jpg',
        'shot2.jpg',
        'shot10.jpg',
      ]);
      expect(frames.map((f) => f.index)).to.deep.equal([0, 1, 3]);
      expect(frames.map((f) => Math.round(f.data[0] / 20))).to.deep.equal([1, 2, 10]);
      expect(frames[2].timestampMs).to.be.closeTo(60, 1e-9);
      const warnings = (
        l.node as unknown as { warn: { getCalls(): { thisValue: unknown; args: unknown[] }[] } }
      ).warn
        .getCalls()
        .filter((c) => c.thisValue === l.node)
        .map((c) => String(c.args[0]));
      expect(warnings.some((w) => w.includes('shot5.jpg'))).to.equal(true);
    });
  });

  describe('live sources', () => {
    let rtsp: RtspServer | undefined;
    before(async () => {
      if (rtspServerAvailable()) rtsp = await startRtspServer('viewer', 'Secr3t:pass');
    });
    after(async () => rtsp?.close());

    it('reads an RTSP camera with credentials from the credential store, never showing them', async function () {
      if (rtsp === undefined) return this.skip();
      const l = await load(
        {
          sourceType: 'stream',
          url: rtsp.url,
          transport: 'tcp',
          topic: 'lobby',
          width: 160,
          startOnDeploy: true,
        },
        { user: 'viewer', password: 'Secr3t:pass' },
      );
      await until(() => l.frames.length >= 3, 30_000, 'RTSP frames');
      expect(lastStatus(l)).to.include({ fill: 'green' });
      expect(String(lastStatus(l)?.text)).to.match(/^live/);
      const frame = framesOf(l)[0];
      expect(frame).to.include({ source: rtsp.url, width: 160, height: 120 });
      expect(l.frames[0].topic).to.equal('lobby');
      const shown = JSON.stringify([
        l.events,
        statusesOf(l.node),
        framesOf(l).map((f) => f.source),
      ]);
      expect(shown).not.to.include('Secr3t');
    });

    it('shows a red status once for a wrong password, and does not retry', async function () {
      if (rtsp === undefined) return this.skip();
      const l = await load(
        { sourceType: 'stream', url: rtsp.url, stallTimeout: 2 },
        { user: 'viewer', password: 'guess' },
      );
      l.node.receive({ payload: 'start' });
      await until(() => l.caught.length >= 1, 20_000, 'the error');
      await sleep(2500);
      expect(caughtMessages(l)).to.deep.equal([
        `${rtsp.url}: authentication failed (401 Unauthorized)`,
      ]);
      expect(lastStatus(l)).to.deep.equal({
        fill: 'red',
        shape: 'ring',
        text: 'failed: authentication failed (401 Unauthorized)',
      });
      expect(statusesOf(l.node).some((s) => String(s.text).startsWith('reconnecting'))).to.equal(
        false,
      );
      expect(eventsOf(l)).to.deep.equal(['start', 'outage', 'end']);
    });

    it('keeps retrying an unreachable camera, shown as reconnecting, with one error', async () => {
      const l = await load({
        sourceType: 'stream',
        url: 'http://127.0.0.1:9/video.mjpg',
        startOnDeploy: true,
        backoffMax: 1,
      });
      await until(
        () =>
          statusesOf(l.node).filter((s) => String(s.text).startsWith('reconnecting')).length >= 2,
        20_000,
        'two attempts',
      );
      const texts = statusesOf(l.node).map((s) => String(s.text));
      // The first wait is 1 s less up to 20 % jitter.
      const first = texts.find((t) => t.startsWith('reconnecting (attempt 1)'));
      expect(first).to.match(
        /^reconnecting \(attempt 1\) in (0\.[89]|1\.0) s · connection refused$/,
      );
      expect(lastStatus(l)).to.include({ fill: 'yellow', shape: 'ring' });
      expect(caughtMessages(l)).to.deep.equal(['127.0.0.1:9: connection refused; reconnecting']);
    });

    it('says so when a V4L2 camera is missing', async () => {
      const l = await load({
        sourceType: 'device',
        device: '/dev/video-maskwatch-absent',
        startOnDeploy: true,
      });
      await until(() => l.caught.length >= 1, 20_000, 'the error');
      expect(caughtMessages(l)[0]).to.equal(
        '/dev/video-maskwatch-absent: no such device or file; reconnecting',
      );
    });
  });
});
