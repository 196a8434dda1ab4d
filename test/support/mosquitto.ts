/**
 * A real Mosquitto broker for the MQTT flow tests, on a free loopback port, with its own config
 * file (anonymous clients, no persistence). Undefined when the binary is absent; the caller skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntil } from './free-port';

const START_TIMEOUT_MS = 10_000;

export interface Broker {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export function mosquittoBinary(): string | undefined {
  for (const path of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto']) {
    if (spawnSync(path, ['-h']).error === undefined) return path;
  }
  return undefined;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startMosquitto(): Promise<Broker | undefined> {
  const binary = mosquittoBinary();
  if (!binary) return undefined;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'maskwatch-mosquitto-'));
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const child: ChildProcess = spawn(binary, ['-c', config], { stdio: 'ignore' });
  await waitUntil(() => accepts(port), `mosquitto on port ${port}`, START_TIMEOUT_MS);
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
