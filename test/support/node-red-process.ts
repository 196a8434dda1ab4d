/**
 * A real Node-RED runtime in its own process, as a user runs it: a user folder with this package
 * installed (linked, like `npm start`), the contrib nodes found beside node-red, a settings file,
 * and the editor and HTTP nodes on a free loopback port. Its log is kept for the tests to read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './demo-media';
import { freePort, waitUntil } from './free-port';

/** Loading the palette (tfjs, onnxruntime, the dashboard) takes ~6 s here; allow for a busy machine. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

export interface NodeRedOptions {
  /** Reuse a user folder (a restart); a new one is made when absent. */
  userDir?: string;
  /** Working directory: relative file paths in flows land here. */
  workDir?: string;
  /** Extra settings, merged into settings.js. */
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface NodeRed {
  url: string;
  userDir: string;
  workDir: string;
  /** Everything the runtime printed so far. */
  log(): string;
  /** Deploys `flows` (a full deploy, as the editor's Deploy button does). */
  deploy(flows: object[]): Promise<void>;
  stop(): Promise<void>;
}

function makeUserDir(settings: Record<string, unknown>, port: number): string {
  const userDir = mkdtempSync(join(tmpdir(), 'maskwatch-node-red-'));
  const pkg = join(userDir, 'node_modules', '@maskwatch', 'node-red-maskwatch');
  mkdirSync(dirname(pkg), { recursive: true });
  symlinkSync(repoRoot(), pkg, 'dir');
  writeSettings(userDir, settings, port);
  return userDir;
}

function writeSettings(userDir: string, settings: Record<string, unknown>, port: number): void {
  const all = {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: 'maskwatch-tests',
    telemetry: { enabled: false },
    editorTheme: { tours: false, projects: { enabled: false } },
    ...settings,
  };
  writeFileSync(
    join(userDir, 'settings.js'),
    `module.exports = ${JSON.stringify(all, null, 2)};\n`,
  );
}

export async function startNodeRed(options: NodeRedOptions = {}): Promise<NodeRed> {
  const port = await freePort();
  const settings = options.settings ?? {};
  const userDir = options.userDir ?? makeUserDir(settings, port);
  if (options.userDir) writeSettings(userDir, settings, port);
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'maskwatch-work-'));
  const red = require.resolve('node-red/red.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [red, '--userDir', userDir, '--settings', join(userDir, 'settings.js')],
    { cwd: workDir, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += String(d)));
  child.stderr!.on('data', (d: Buffer) => (log += String(d)));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    () => {
      if (child.exitCode !== null) throw new Error(`Node-RED exited early:\n${log}`);
      return log.includes('Started flows') || log.includes('Waiting for missing types');
    },
    'Node-RED to start',
    START_TIMEOUT_MS,
  );
  return {
    url,
    userDir,
    workDir,
    log: () => log,
    deploy: async (flows) => {
      const res = await fetch(`${url}/flows`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
        body: JSON.stringify(flows),
      });
      if (!res.ok) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
    },
    stop: () =>
      new Promise((resolve, reject) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => reject(new Error('Node-RED did not stop')), STOP_TIMEOUT_MS);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        // SIGINT is Node-RED's clean stop: nodes close and context stores write their caches.
        child.kill('SIGINT');
      }),
  };
}

/** Removes the folders a runtime made (after `stop`). */
export function removeNodeRedFolders(red: Pick<NodeRed, 'userDir' | 'workDir'>): void {
  rmSync(red.userDir, { recursive: true, force: true });
  rmSync(red.workDir, { recursive: true, force: true });
}
