/**
 * One ONNX Runtime session per model file and engine settings, per process, shared by every user
 * (several openpose nodes on one model load it once). Users take a lease and give it back; the
 * session is released when the last lease goes. Asking for CUDA where the installed
 * onnxruntime-node has no CUDA provider warns once and falls back to the CPU.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelFileError } from './tfjs-file-io';

import type { ExecutionProvider } from './execution-provider';

export type { ExecutionProvider };

export interface OrtEngineOptions {
  executionProvider?: ExecutionProvider;
  /** Threads one inference may use; 0 lets ONNX Runtime choose (one per physical core). */
  threads?: number;
}

/** A user's hold on a shared session; `release()` once, when the user is done. */
export interface OrtLease {
  readonly session: ort.InferenceSession;
  readonly path: string;
  /** The provider the session actually runs on (cpu after a CUDA fallback). */
  readonly executionProvider: ExecutionProvider;
  release(): Promise<void>;
}

interface Entry {
  ready: Promise<{ session: ort.InferenceSession; executionProvider: ExecutionProvider }>;
  users: number;
}

const entries = new Map<string, Entry>();
/** ONNX Runtime log severity that shows fatal errors only. */
const FATAL_ONLY = 4;
let cudaWarned = false;

/** How a CUDA fallback is reported; replaceable so a node can route it to its own log. */
export type FallbackWarn = (text: string) => void;

const defaultWarn: FallbackWarn = (text) => process.emitWarning(text, 'MaskwatchWarning');

/**
 * A lease on the session for `path` with these settings, loading it if no one holds it. Rejects
 * with a ModelFileError naming the file when it is missing or not a loadable ONNX model.
 */
export async function acquireOrtSession(
  path: string,
  options: OrtEngineOptions = {},
  warn: FallbackWarn = defaultWarn,
): Promise<OrtLease> {
  const file = resolve(path);
  const provider = options.executionProvider ?? 'cpu';
  const threads = options.threads ?? 0;
  const key = `${file}|${provider}|${threads}`;
  let entry = entries.get(key);
  if (entry === undefined) {
    entry = { ready: load(file, provider, threads, warn), users: 0 };
    entries.set(key, entry);
    // A failed load is not cached: the next user tries again (the file may have been fixed).
    entry.ready.catch(() => entries.get(key) === entry && entries.delete(key));
  }
  entry.users += 1;
  let loaded;
  try {
    loaded = await entry.ready;
  } catch (err) {
    entry.users -= 1;
    throw err;
  }
  let released = false;
  const held = entry;
  return {
    session: loaded.session,
    path: file,
    executionProvider: loaded.executionProvider,
    async release() {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users > 0) return;
      if (entries.get(key) === held) entries.delete(key);
      await loaded.session.release();
    },
  };
}

/** Sessions currently held, for the leak tests and the status of a node. */
export function liveOrtSessions(): number {
  return entries.size;
}

async function load(
  file: string,
  provider: ExecutionProvider,
  threads: number,
  warn: FallbackWarn,
): Promise<{ session: ort.InferenceSession; executionProvider: ExecutionProvider }> {
  await assertModelFile(file);
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  };
  if (provider === 'cuda') {
    try {
      const session = await ort.InferenceSession.create(file, {
        ...base,
        executionProviders: ['cuda'],
        // ONNX Runtime logs the missing library itself; the fallback warning below says it once.
        logSeverityLevel: FATAL_ONLY,
      });
      return { session, executionProvider: 'cuda' };
    } catch (err) {
      if (!isMissingProvider(err)) throw asModelError(file, err);
      if (!cudaWarned) {
        cudaWarned = true;
        warn(
          `CUDA execution provider is not available (${firstLine(err)}); running on the CPU. ` +
            'Install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12 for CUDA.',
        );
      }
    }
  }
  try {
    const session = await ort.InferenceSession.create(file, {
      ...base,
      executionProviders: ['cpu'],
    });
    return { session, executionProvider: 'cpu' };
  } catch (err) {
    throw asModelError(file, err);
  }
}

/** Rejects with a ModelFileError naming `file` unless it is a readable file. */
export async function assertModelFile(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ModelFileError(file, 'is not a file');
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelFileError(file, code === 'ENOENT' ? 'not found' : `cannot be read (${code})`);
  }
}

/** ONNX Runtime's words for a provider it was not built with or cannot start. */
function isMissingProvider(err: unknown): boolean {
  return /cuda|execution provider|shared library|libcudart|libcublas|\.so\b/i.test(String(err));
}

function asModelError(file: string, err: unknown): ModelFileError {
  return new ModelFileError(file, `is not a loadable ONNX model (${firstLine(err)})`);
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.slice(0, 200);
}

/** Forgets that the CUDA fallback was reported; for tests of the once-only warning. */
export function resetCudaWarningForTests(): void {
  cudaWarned = false;
}
