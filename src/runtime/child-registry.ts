/**
 * Every ffmpeg this process starts is registered here until it has exited, so that none is left
 * behind: `terminate` stops one (SIGTERM, then SIGKILL after a grace period, resolved only once
 * the process is gone and reaped), `liveChildren` lists them (tests check it is empty), and when
 * Node-RED itself exits, the ones still running get SIGKILL instead of becoming orphans.
 */
import type { ChildProcess } from 'node:child_process';

/** SIGTERM to SIGKILL: ffmpeg flushes and quits in well under this; Node-RED allows 15 s. */
export const DEFAULT_KILL_GRACE_MS = 2000;

const live = new Map<number, ChildProcess>();
const exits = new WeakMap<ChildProcess, Promise<void>>();
let exitHookInstalled = false;

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Registers `child` (just spawned); it leaves the registry when it exits. */
export function register(child: ChildProcess): ChildProcess {
  installExitHook();
  const exited = new Promise<void>((resolve) => {
    const leave = (): void => {
      if (child.pid !== undefined) live.delete(child.pid);
      resolve();
    };
    // 'exit' comes once the process is reaped; 'error' alone when it never started.
    child.once('exit', leave);
    child.once('error', () => {
      if (child.pid === undefined || hasExited(child)) leave();
    });
  });
  exits.set(child, exited);
  if (child.pid !== undefined) live.set(child.pid, child);
  return child;
}

/** Resolves once `child` has exited (at once if it never started or already exited). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || hasExited(child)) return Promise.resolve();
  return exits.get(child) ?? Promise.resolve();
}

/**
 * Stops `child`: SIGTERM, then SIGKILL if it is still running after `graceMs`. Resolves once it
 * has exited. Safe to call more than once and on a child that already exited.
 */
export async function terminate(
  child: ChildProcess,
  graceMs = DEFAULT_KILL_GRACE_MS,
): Promise<void> {
  if (child.pid === undefined || hasExited(child)) return exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!hasExited(child)) child.kill('SIGKILL');
  }, graceMs);
  try {
    await exited(child);
  } finally {
    clearTimeout(timer);
  }
}

/** The registered children still running: pid and command line. */
export function liveChildren(): { pid: number; args: readonly string[] }[] {
  return [...live.entries()].map(([pid, child]) => ({ pid, args: child.spawnargs }));
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous by necessity: nothing asynchronous runs in an 'exit' handler.
  process.once('exit', () => {
    for (const child of live.values()) child.kill('SIGKILL');
  });
}
