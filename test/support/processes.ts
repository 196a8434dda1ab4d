/**
 * What the lifecycle tests check about child processes: which ffmpeg processes this test
 * process has (running or zombie), and how much memory a process holds.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildInfo {
  pid: number;
  /** ps state: R, S, D, ... and Z for a zombie. */
  state: string;
  command: string;
}

/** The ffmpeg processes whose parent is this process. */
export function ffmpegChildren(): ChildInfo[] {
  const out = execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(process.pid)]);
  return out
    .toString()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, , comm]) => comm === 'ffmpeg')
    .map(([pid, state, command]) => ({ pid: Number(pid), state, command }));
}

/** Resident memory of process `pid` in MiB, from /proc; undefined when it has gone. */
export function residentMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 50 ms until it returns true; rejects after `timeoutMs` with `what`. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(50);
  }
}
