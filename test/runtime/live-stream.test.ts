import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { NodeStatus } from 'node-red';
import type { OutageReport } from '../../src/core/stream-health';
import { parseStreamUrl } from '../../src/core/source-url';
import type { Frame } from '../../src/core/types';
import { liveChildren } from '../../src/runtime/child-registry';
import type { HealthView, SourceListener, SourceSummary } from '../../src/runtime/frame-source';
import {
  LiveStream,
  monotonicWallMs,
  STARTUP_GRACE_MS,
  type LiveStreamOptions,
} from '../../src/runtime/live-stream';
import { ffmpegPath } from '../../src/runtime/ffmpeg-binary';
import type { StreamInput } from '../../src/runtime/stream-input';
import { catchNode, helper, statusesOf, type Msg, type TestNode } from '../support/flow-harness';
import { startMjpegServer, testJpegs, type MjpegServer } from '../support/mjpeg-server';
import { ffmpegChildren, residentMiB, sleep, until } from '../support/processes';
import {
  NO_RTSP_REASON,
  rtspServerAvailable,
  startRtspServer,
  type RtspServer,
} from '../support/rtsp-server';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const videoSourceNode = require('../../nodes/video-source/video-source');

/** A 3 s 320×240 clip of ffmpeg's test pattern, made at test time. */
async function makeTestClip(path: string): Promise<void> {
  await promisify(execFile)(ffmpegPath(), [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-t', '3'],
    ...['-pix_fmt', 'yuv420p', path],
  ]);
}

/** What a listener saw; frames without their pixels, so a long run holds little. */
interface Recording {
  frames: Omit<Frame, 'data'>[];
  bytes: number[];
  health: HealthView[];
  outages: OutageReport[];
  errors: Error[];
  ends: { summary: SourceSummary; stopped: boolean }[];
}

function recorder(): { listener: SourceListener; seen: Recording } {
  const seen: Recording = { frames: [], bytes: [], health: [], outages: [], errors: [], ends: [] };
  const listener: SourceListener = {
    start: () => undefined,
    frame: ({ data, ...rest }) => {
      seen.frames.push(rest);
      seen.bytes.push(data.length);
    },
    end: (summary, stopped) => seen.ends.push({ summary, stopped }),
    error: (err) => seen.errors.push(err),
    health: (view) => seen.health.push(view),
    outage: (report) => seen.outages.push(report),
  };
  return { listener, seen };
}

function streamInput(url: string, user = '', password = '', transport: 'tcp' | 'udp' = 'tcp') {
  const { protocol, url: parsed } = parseStreamUrl('url', url);
  return { kind: 'stream', protocol, url: parsed, transport, user, password } as StreamInput;
}

function liveStream(input: StreamInput, options: Partial<LiveStreamOptions> = {}) {
  const { listener, seen } = recorder();
  const stream = new LiveStream(
    {
      input,
      width: 160,
      fps: 0,
      pacing: 'realtime',
      maxInFlight: 1,
      ackTimeoutMs: 1000,
      stallTimeoutMs: 2000,
      backoff: { initialMs: 500, maxMs: 4000, factor: 2, jitter: 0 },
      maxAttempts: 0,
      ...options,
    },
    listener,
  );
  return { stream, seen };
}

/** The outage the video-source node goes through in the background of this suite. */
const PAUSE_MS = 20_000;
const FRAMES_BEFORE_PAUSE = 10;
const FRAMES_AFTER_RESUME = 10;
const REDEPLOYS = 50;
/** How long after the camera resumes its frames may take to come back, on a loaded machine. */
const RECONNECT_MARGIN_MS = 60_000;
/** The loopback camera sends 10 frames per second. */
const CAMERA_FPS = 10;
const CAMERA_FRAME_MS = 1000 / CAMERA_FPS;
/** Node-RED's limit for a node's close on redeploy. */
const CLOSE_LIMIT_MS = 15_000;

interface BackgroundRun {
  frames: Msg[];
  events: Msg[];
  caught: Msg[];
  pausedAtMs: number;
  resumedAtMs: number;
  statuses: NodeStatus[];
  /** How long each redeploy of the file source took (its close and its start). */
  redeployMs: number[];
  /** Registered ffmpeg processes on the redeployed file after the last redeploy was undone. */
  leftOnFile: number;
}

/** The Node-RED runtime's own deploy call: a 'nodes' deploy restarts only the changed nodes. */
interface FlowsApi {
  setFlows(flows: object[], credentials: object, type: 'nodes'): Promise<unknown>;
}

/**
 * The node-level lifecycle cases, run in the background of this suite because they are slow by
 * nature: a flow with a video-source on a loopback MJPEG camera that stops sending for 20 s and
 * resumes, and, while the camera is down, 50 redeploys (modified nodes, as the editor's default
 * deploy does) of a second video-source playing a file. Meanwhile the cases below exercise the
 * stream class directly.
 */
async function backgroundFlow(camera: MjpegServer, file: string): Promise<BackgroundRun> {
  const flow = (cycle: number) => [
    { id: 'tab', type: 'tab' },
    {
      id: 'cam',
      z: 'tab',
      type: 'video-source',
      sourceType: 'stream',
      url: camera.url('/stream'),
      topic: 'entrance',
      width: 160,
      stallTimeout: 2,
      backoffMax: 4,
      startOnDeploy: true,
      wires: [['frames'], ['events']],
    },
    { id: 'frames', z: 'tab', type: 'helper' },
    { id: 'events', z: 'tab', type: 'helper' },
    {
      id: 'catcher',
      z: 'tab',
      type: 'catch',
      scope: ['cam'],
      uncaught: false,
      wires: [['caught']],
    },
    { id: 'caught', z: 'tab', type: 'helper' },
    ...(cycle < 0
      ? []
      : [
          {
            id: 'file',
            z: 'tab',
            type: 'video-source',
            name: `redeploy ${cycle}`,
            file,
            width: 160,
            loop: true,
            startOnDeploy: true,
            wires: [['fileFrames'], []],
          },
          { id: 'fileFrames', z: 'tab', type: 'helper' },
        ]),
  ];
  await helper.load([videoSourceNode, catchNode], flow(-1));
  const run: BackgroundRun = {
    ...{ frames: [], events: [], caught: [], pausedAtMs: 0, resumedAtMs: 0, statuses: [] },
    ...{ redeployMs: [], leftOnFile: -1 },
  };
  const keep = (msg: Msg) => ({ ...msg, frame: { ...(msg.frame as Frame), data: undefined } });
  helper.getNode('frames').on('input', (msg: Msg) => run.frames.push(keep(msg)));
  helper.getNode('events').on('input', (msg: Msg) => run.events.push(msg));
  helper.getNode('caught').on('input', (msg: Msg) => run.caught.push(msg));
  await until(() => run.frames.length >= FRAMES_BEFORE_PAUSE, 30_000, 'frames before the pause');
  camera.pause();
  // The source stamps outages with its monotonic wall clock; Date.now() can be stepped away from
  // it (seen: by over a second on a VM whose clock was corrected mid-run), so the test reads the same clock.
  run.pausedAtMs = monotonicWallMs();
  const api = (helper as unknown as { _redNodes: FlowsApi })._redNodes;
  for (let cycle = 0; cycle <= REDEPLOYS; cycle += 1) {
    const t0 = Date.now();
    // The last deploy takes the file source out again.
    await api.setFlows(cycle < REDEPLOYS ? flow(cycle) : flow(-1), {}, 'nodes');
    // setFlows resolves once the old nodes have closed; the new ones start after it.
    const started = () => {
      const node = helper.getNode('file') as { name?: string } | null;
      return cycle < REDEPLOYS ? node?.name === `redeploy ${cycle}` : node === null;
    };
    await until(started, 20_000, `redeploy ${cycle} to start`);
    if (cycle > 0) run.redeployMs.push(Date.now() - t0);
    // One cycle in five redeploys while ffmpeg is decoding; the others while the file is still
    // being probed or ffmpeg is starting, the race a quick double deploy runs.
    if (cycle % 5 === 0 && cycle < REDEPLOYS) {
      const fileFrames: Msg[] = [];
      helper.getNode('fileFrames').on('input', (msg: Msg) => fileFrames.push(msg));
      await until(() => fileFrames.length >= 1, 20_000, `a frame in redeploy ${cycle}`);
    }
  }
  run.leftOnFile = liveChildren().filter((c) => c.args.includes(file)).length;
  await sleep(Math.max(0, run.pausedAtMs + PAUSE_MS - monotonicWallMs()));
  camera.resume();
  run.resumedAtMs = monotonicWallMs();
  const outage = () => run.events.find((m) => (m.payload as { event: string }).event === 'outage');
  await until(() => outage() !== undefined, RECONNECT_MARGIN_MS, 'the outage report');
  const framesAtOutage = run.frames.length;
  const framesBack = () => run.frames.length >= framesAtOutage + FRAMES_AFTER_RESUME;
  await until(framesBack, 20_000, 'frames back');
  run.statuses = statusesOf(helper.getNode('cam') as unknown as TestNode);
  await helper.unload();
  return run;
}

describe('live-stream (loopback MJPEG and RTSP cameras)', function () {
  this.timeout(150_000);
  let camera: MjpegServer;
  let outageCamera: MjpegServer;
  let rtsp: RtspServer | undefined;
  let scratch: string;
  let background: Promise<BackgroundRun>;

  before(async function () {
    await new Promise<void>((resolve, reject) =>
      helper.startServer((err) => (err ? reject(err) : resolve())),
    );
    const jpegs = testJpegs('320x240', 10);
    camera = await startMjpegServer({ jpegs, jpegs4k: testJpegs('3840x2160', 3), fps: CAMERA_FPS });
    outageCamera = await startMjpegServer({ jpegs, fps: CAMERA_FPS });
    scratch = mkdtempSync(join(tmpdir(), 'maskwatch-live-'));
    const file = join(scratch, 'redeployed.mp4');
    await makeTestClip(file);
    background = backgroundFlow(outageCamera, file);
    // A rejection is read by the tests that await it; this keeps it from being reported first.
    background.catch(() => undefined);
    if (rtspServerAvailable()) rtsp = await startRtspServer('operator', 'p@ss word!');
  });

  after(async () => {
    await rtsp?.close();
    await camera?.close();
    await outageCamera?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    await new Promise<void>((resolve) => helper.stopServer(() => resolve()));
  });

  it('reads an RTSP camera over TCP and over UDP with its credentials', async function () {
    if (rtsp === undefined) return this.skip();
    for (const transport of ['tcp', 'udp'] as const) {
      const { stream, seen } = liveStream(
        streamInput(rtsp.url, 'operator', 'p@ss word!', transport),
      );
      await stream.start();
      await until(() => seen.frames.length >= 5, 30_000, `5 frames over ${transport}`);
      await stream.stop();
      expect(seen.frames[0]).to.include({ width: 160, height: 120, channels: 3, source: rtsp.url });
      expect(seen.bytes[0]).to.equal(160 * 120 * 3);
      const stamps = seen.frames.map((f) => f.timestampMs);
      expect(stamps.every((t, i) => i === 0 || t > stamps[i - 1])).to.equal(true);
      expect(seen.errors).to.deep.equal([]);
      expect(seen.ends.map((e) => e.stopped)).to.deep.equal([true]);
    }
  });

  it('gives up at once on a wrong RTSP password, with a clear reason and no retry storm', async function () {
    if (rtsp === undefined) return this.skip();
    const { stream, seen } = liveStream(streamInput(rtsp.url, 'operator', 'wrong-secret'));
    await stream.start();
    await until(() => seen.errors.length > 0, 20_000, 'the authentication error');
    // Long enough for several back-off attempts, had it retried.
    await sleep(3000);
    await stream.stop();
    expect(seen.errors.map((e) => e.message)).to.deep.equal([
      `${rtsp.url}: authentication failed (401 Unauthorized)`,
    ]);
    expect(stream.restarts).to.equal(0);
    expect(seen.health.map((h) => h.state)).to.deep.equal(['connecting', 'failed']);
    expect(seen.outages).to.have.length(1);
    expect(seen.outages[0]).to.include({ resumed: false, restarts: 0 });
    expect(seen.ends.map((e) => e.summary.failure)).to.deep.equal([
      'authentication failed (401 Unauthorized)',
    ]);
    expect(JSON.stringify(seen)).not.to.include('wrong-secret');
  });

  it('retries an unreachable camera with growing delays, naming the cause', async () => {
    const { stream, seen } = liveStream(streamInput('rtsp://127.0.0.1:9/cam'));
    await stream.start();
    await until(
      () => seen.health.filter((h) => h.state === 'reconnecting').length >= 3,
      20_000,
      '3 attempts',
    );
    await stream.stop();
    const attempts = seen.health.filter((h) => h.state === 'reconnecting');
    expect(attempts.map((h) => h.reason)).to.include('connection refused');
    expect(attempts.slice(0, 3).map((h) => [h.attempt, h.retryInMs])).to.deep.equal([
      [1, 500],
      [2, 1000],
      [3, 2000],
    ]);
    expect(seen.outages.map((o) => o.resumed)).to.deep.equal([false]);
    expect(seen.errors).to.deep.equal([]);
  });

  it("restarts on a stream that never sends a frame boundary, with ffmpeg's memory bounded", async () => {
    const { stream, seen } = liveStream(streamInput(camera.url('/garbage')), {
      stallTimeoutMs: 1000,
    });
    await stream.start();
    await sleep(3000);
    const reading = liveChildren().filter((c) => c.args.includes(camera.url('/garbage')));
    const rssMiB = reading.map((c) => residentMiB(c.pid) ?? 0);
    await until(() => seen.health.some((h) => h.state === 'reconnecting'), 20_000, 'the watchdog');
    await stream.stop();
    expect(seen.frames).to.deep.equal([]);
    expect(seen.health.find((h) => h.state === 'reconnecting')?.reason).to.match(
      /^no frame for \d+(\.\d)? s$/,
    );
    expect(reading.length).to.be.greaterThan(0);
    // ffmpeg reads megabytes a second of garbage and holds on to none of it.
    expect(Math.max(...rssMiB)).to.be.below(100);
    const silentMs = 1000 + STARTUP_GRACE_MS;
    expect(Number(/(\d+(\.\d)?) s$/.exec(seen.health[1].reason ?? '')?.[1]) * 1000).to.be.at.least(
      silentMs - 100,
    );
  });

  it('scales a 4K camera to 640 px wide in ffmpeg, so frames stay small', async () => {
    const { stream, seen } = liveStream(streamInput(camera.url('/4k')), { width: 640 });
    await stream.start();
    await until(() => seen.frames.length >= 5, 40_000, '5 frames of the 4K stream');
    const decoding = liveChildren().filter((c) => c.args.includes(camera.url('/4k')));
    const rssMiB = decoding.map((c) => residentMiB(c.pid) ?? 0);
    await stream.stop();
    expect(seen.frames[0]).to.include({ width: 640, height: 360 });
    expect(seen.bytes.every((b) => b === 640 * 360 * 3)).to.equal(true);
    expect(Math.max(...rssMiB)).to.be.below(400);
  });

  it('reads an HLS playlist served over HTTP', async () => {
    const dir = join(scratch, 'hls');
    mkdirSync(dir);
    await promisify(execFile)(ffmpegPath(), [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10', '-t', '2'],
      ...['-pix_fmt', 'yuv420p', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0'],
      join(dir, 'cam.m3u8'),
    ]);
    const server = createServer((req, res) => {
      const name = basename(req.url ?? '');
      try {
        res.end(readFileSync(join(dir, name)));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { stream, seen } = liveStream(streamInput(`http://127.0.0.1:${port}/cam.m3u8`));
    try {
      await stream.start();
      await until(() => seen.frames.length >= 10, 30_000, '10 HLS frames');
    } finally {
      await stream.stop();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen.frames[0]).to.include({ width: 160, height: 120 });
    expect(seen.errors).to.deep.equal([]);
  });

  it('holds frames back while paused, staying connected, and sends again on resume', async () => {
    const { stream, seen } = liveStream(streamInput(camera.url('/stream')));
    await stream.start();
    await until(() => seen.frames.length >= 3, 20_000, '3 frames');
    const connections = camera.connections;
    stream.pause();
    const atPause = seen.frames.length;
    await sleep(1500);
    expect(seen.frames.length).to.equal(atPause);
    stream.resume();
    await until(() => seen.frames.length >= atPause + 3, 20_000, 'frames after resume');
    await stream.stop();
    expect(camera.connections).to.equal(connections);
    expect(stream.restarts).to.equal(0);
    // The camera went on sending while paused: the index counts those frames.
    expect(seen.frames[atPause].index - seen.frames[atPause - 1].index).to.be.greaterThan(5);
  });

  it('drops frames to the target frame rate instead of queueing them', async () => {
    const { stream, seen } = liveStream(streamInput(camera.url('/stream')), { fps: 2 });
    await stream.start();
    await until(() => seen.frames.length >= 4, 20_000, '4 frames at 2 fps');
    await stream.stop();
    const gaps = seen.frames.slice(1).map((f, i) => f.index - seen.frames[i].index);
    // A 10 fps camera at 2 fps: about every fifth frame.
    expect(gaps.every((g) => g >= 3 && g <= 7)).to.equal(true, `index gaps ${gaps}`);
    expect(seen.ends[0].summary.dropped).to.be.at.least(3 * (seen.frames.length - 1));
  });

  it('sends only the newest frame in ack pacing, dropping the ones the chain did not take', async () => {
    const { stream, seen } = liveStream(streamInput(camera.url('/stream')), {
      pacing: 'ack',
      ackTimeoutMs: 60_000,
    });
    await stream.start();
    await until(() => seen.frames.length === 1, 20_000, 'the first frame');
    await sleep(1000);
    expect(seen.frames).to.have.length(1);
    stream.ack();
    await until(() => seen.frames.length === 2, 5000, 'the frame after the ack');
    await stream.stop();
    // The frame sent after the ack is a fresh one, not the one that came right after the first.
    expect(seen.frames[1].index - seen.frames[0].index).to.be.greaterThan(3);
  });

  it('comes back by itself after a camera stops sending for 20 s, reporting one outage', async () => {
    const run = await background;
    const outages = run.events
      .map((m) => m.payload as OutageReport)
      .filter((p) => p.event === 'outage');
    expect(outages).to.have.length(1);
    const outage = outages[0];
    expect(outage).to.include({ resumed: true, source: outageCamera.url('/stream') });
    expect(outage.durationMs).to.equal(outage.endMs - outage.startMs);
    // The upper bound leaves room for a reconnection on a heavily loaded machine.
    expect(outage.durationMs).to.be.within(PAUSE_MS - 1000, PAUSE_MS + RECONNECT_MARGIN_MS);
    expect(outage.startMs).to.be.at.most(run.pausedAtMs + 200);
    expect(outage.endMs).to.be.at.least(run.resumedAtMs - 200);
    expect(outage.restarts).to.be.at.least(1);
    // The status showed each attempt, then the restarts once live again.
    const texts = run.statuses.map((s) => String(s.text));
    const attempts = texts.filter((t) => t.startsWith('reconnecting (attempt'));
    expect(attempts).to.have.length(outage.restarts);
    expect(texts.at(-1)).to.match(new RegExp(`^live · .*${outage.restarts} restarts?`));
    // One error per outage for Catch nodes, not one per attempt.
    expect(run.caught).to.have.length(1);
    expect((run.caught[0].error as { message: string }).message).to.include('reconnecting');
    // Frames go on with later stamps, and the index skips what the camera sent while blind.
    const stamps = run.frames.map((m) => (m.frame as Frame).timestampMs);
    expect(stamps.every((t, i) => i === 0 || t > stamps[i - 1])).to.equal(true);
    const indices = run.frames.map((m) => (m.frame as Frame).index);
    const jump = Math.max(...indices.slice(1).map((x, i) => x - indices[i]));
    const missed = outage.durationMs / CAMERA_FRAME_MS;
    expect(jump).to.be.within(missed * 0.7, missed * 1.3);
    expect(run.frames.every((m) => m.topic === 'entrance')).to.equal(true);
  });

  it('redeploys a file source 50 times while a camera is down, each close in time, no ffmpeg left', async () => {
    const run = await background;
    expect(run.redeployMs).to.have.length(REDEPLOYS);
    expect(Math.max(...run.redeployMs)).to.be.below(CLOSE_LIMIT_MS);
    expect(run.leftOnFile).to.equal(0);
  });

  it('leaves no ffmpeg behind, running or zombie', async () => {
    await until(() => liveChildren().length === 0, 10_000, 'registered children to exit');
    expect(ffmpegChildren()).to.deep.equal([]);
  });
});

if (!rtspServerAvailable()) console.warn(`      RTSP cases skipped: ${NO_RTSP_REASON}`);
