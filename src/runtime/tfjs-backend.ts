/**
 * One tfjs engine per process, shared by every model that runs in tfjs. The wasm backend runs
 * inference well on CPU; the pure-JS cpu backend is the fallback (4–17 s a pose frame: a last
 * resort) and the engine for training small dense heads.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export type TfjsBackendName = 'wasm' | 'cpu';

let ready: Promise<TfjsBackendName> | undefined;

/**
 * Selects `preferred` (wasm by default) once; later calls return the same choice. Falls back to
 * cpu when wasm cannot start, and says so through `warn`.
 */
export function ensureTfjsBackend(
  preferred: TfjsBackendName = 'wasm',
  warn: (text: string) => void = () => undefined,
): Promise<TfjsBackendName> {
  ready ??= select(preferred, warn);
  return ready;
}

async function select(
  preferred: TfjsBackendName,
  warn: (text: string) => void,
): Promise<TfjsBackendName> {
  if (preferred === 'wasm' && (await tf.setBackend('wasm'))) {
    await tf.ready();
    return 'wasm';
  }
  if (preferred === 'wasm') warn('tfjs wasm backend failed to start; falling back to cpu (slow)');
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

export { tf };
