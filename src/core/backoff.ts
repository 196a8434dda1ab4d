/**
 * Exponential back-off between reconnection attempts: attempt 1 waits `initialMs`, each further
 * attempt `factor` times longer, never more than `maxMs`. A jitter fraction spreads the attempts
 * of many cameras that dropped at the same moment (one switch rebooting) so they do not all hit
 * the network again in step. Pure: the random draw comes in as an argument.
 */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction in [0, 1) of the delay that is random: 0.2 gives delays in [0.8 d, d]. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 1000,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.2,
};

export function checkBackoff(options: BackoffOptions): BackoffOptions {
  const { initialMs, maxMs, factor, jitter } = options;
  if (!(initialMs > 0)) throw new RangeError(`initialMs must be > 0, got ${initialMs}`);
  if (!(maxMs >= initialMs)) {
    throw new RangeError(`maxMs must be ≥ initialMs (${initialMs}), got ${maxMs}`);
  }
  if (!(factor >= 1)) throw new RangeError(`factor must be ≥ 1, got ${factor}`);
  if (!(jitter >= 0 && jitter < 1)) throw new RangeError(`jitter must be in [0, 1), got ${jitter}`);
  return options;
}

/**
 * Delay before attempt `attempt` (1-based). `random` is a draw in [0, 1); 0 gives the full delay.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random = 0): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be an integer ≥ 1, got ${attempt}`);
  }
  // The exponent is capped so a camera down for days does not overflow to Infinity.
  const exponent = Math.min(attempt - 1, 64);
  const full = Math.min(options.maxMs, options.initialMs * options.factor ** exponent);
  return full * (1 - options.jitter * random);
}
