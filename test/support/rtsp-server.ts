/**
 * Starts the loopback RTSP camera of rtsp-server.py (GStreamer's RTSP server, which checks the
 * credentials itself). Undefined, with the reason, where Debian's python3-gi and
 * gir1.2-gst-rtsp-server-1.0 are missing (.ci/run installs them).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './demo-media';

/** Debian's interpreter: the GObject bindings are installed for it, not for a pyenv one. */
const PYTHON = '/usr/bin/python3';
const READY_TIMEOUT_MS = 20_000;

export interface RtspServer {
  /** rtsp://127.0.0.1:PORT/cam, without credentials. */
  url: string;
  close(): Promise<void>;
}

export const NO_RTSP_REASON =
  'no RTSP server: install python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good';

export function rtspServerAvailable(): boolean {
  return spawnSync(PYTHON, [script(), '--check']).status === 0;
}

function script(): string {
  return join(repoRoot(), 'test', 'support', 'rtsp-server.py');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRtspServer(user: string, password: string): Promise<RtspServer> {
  const port = await freePort();
  const child = spawn(PYTHON, [script(), String(port), user, password], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  await waitForReady(child);
  return {
    url: `rtsp://127.0.0.1:${port}/cam`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`RTSP server not ready after ${READY_TIMEOUT_MS} ms: ${stderr}`));
    }, READY_TIMEOUT_MS);
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      if (!d.toString().includes('ready')) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`RTSP server exited (${code}): ${stderr}`));
    });
  });
}
