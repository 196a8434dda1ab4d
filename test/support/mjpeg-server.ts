/**
 * A loopback HTTP MJPEG camera for the tests (multipart/x-mixed-replace, the format of most IP
 * cameras' HTTP streams), made from JPEGs that ffmpeg encodes at test time. It can stop sending
 * (connections stay open, new ones get nothing, as a camera whose encoder hung) and resume, and
 * it serves two hostile streams: bytes with no frame boundary, and 4K frames.
 * Every loop it runs is bounded in bytes and time, and it listens on 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/runtime/ffmpeg-binary';

const BOUNDARY = 'maskwatchframe';
/** The endless-garbage route stops after this many bytes or this long, whichever comes first. */
const GARBAGE_MAX_BYTES = 512 * 1024 * 1024;
const GARBAGE_MAX_MS = 60_000;
const GARBAGE_CHUNK = Buffer.alloc(64 * 1024, 0x41);
/** One chunk per interval: 6.4 MB/s of garbage, a high-bit-rate camera's worth. */
const GARBAGE_INTERVAL_MS = 10;

/** `count` JPEG frames of ffmpeg's test pattern at `size` ("320x240"). */
export function testJpegs(size: string, count: number): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), 'maskwatch-jpegs-'));
  try {
    execFileSync(ffmpegPath(), [
      ...['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=10`],
      ...['-frames:v', String(count), '-q:v', '5', join(dir, '%03d.jpg')],
    ]);
    return readdirSync(dir)
      .sort()
      .map((name) => readFileSync(join(dir, name)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface MjpegServer {
  /** `/stream` (the camera), `/4k` (4K frames), `/garbage` (no frame boundary, ever). */
  url(path: '/stream' | '/4k' | '/garbage'): string;
  /** Stops sending frames on every connection until resume(). */
  pause(): void;
  resume(): void;
  /** Connections opened so far (each ffmpeg restart opens one). */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startMjpegServer(options: {
  jpegs: Buffer[];
  jpegs4k?: Buffer[];
  fps: number;
}): Promise<MjpegServer> {
  let paused = false;
  let connections = 0;
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    connections += 1;
    open.add(res);
    res.on('close', () => open.delete(res));
    if (req.url === '/garbage') return serveGarbage(req, res);
    const frames = req.url === '/4k' ? (options.jpegs4k ?? []) : options.jpegs;
    serveFrames(req, res, frames, options.fps, () => paused);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    pause: () => (paused = true),
    resume: () => (paused = false),
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
      }),
  };
}

function serveFrames(
  req: IncomingMessage,
  res: ServerResponse,
  frames: Buffer[],
  fps: number,
  isPaused: () => boolean,
): void {
  let headersSent = false;
  let next = 0;
  const tick = (): void => {
    // A paused camera sends nothing, not even the response headers of a new connection.
    if (isPaused() || frames.length === 0) return;
    if (!headersSent) {
      res.writeHead(200, { 'Content-Type': `multipart/x-mixed-replace; boundary=${BOUNDARY}` });
      headersSent = true;
    }
    const jpeg = frames[next++ % frames.length];
    res.write(
      `--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`,
    );
    res.write(jpeg);
    res.write('\r\n');
  };
  const timer = setInterval(tick, 1000 / fps);
  req.on('close', () => clearInterval(timer));
}

function serveGarbage(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': `multipart/x-mixed-replace; boundary=${BOUNDARY}` });
  let sent = 0;
  const startedMs = Date.now();
  // Paced, like a camera's bit rate, so the stream outlasts the watchdog instead of its bytes.
  const timer = setInterval(() => {
    if (sent >= GARBAGE_MAX_BYTES || Date.now() - startedMs >= GARBAGE_MAX_MS) {
      clearInterval(timer);
      res.end();
      return;
    }
    sent += GARBAGE_CHUNK.length;
    res.write(GARBAGE_CHUNK);
  }, GARBAGE_INTERVAL_MS);
  req.on('close', () => clearInterval(timer));
}
