/**
 * What an ffmpeg failure on a stream means, read from its stderr lines: a short reason for the
 * status line, and whether retrying can help. Wrong credentials and a denied device cannot heal
 * by themselves, so they are fatal (a red status, no retry storm against the camera); a refused
 * connection, a missing stream path or garbage data can be a camera rebooting, so they retry.
 * Patterns are ffmpeg 5–7's messages (libavformat http.c, rtsp.c and libavutil error strings).
 */

export interface FfmpegFailure {
  reason: string;
  fatal: boolean;
}

interface Rule {
  pattern: RegExp;
  reason: string;
  fatal: boolean;
}

const RULES: readonly Rule[] = [
  { pattern: /401 Unauthorized/i, reason: 'authentication failed (401 Unauthorized)', fatal: true },
  { pattern: /403 Forbidden/i, reason: 'access denied (403 Forbidden)', fatal: true },
  { pattern: /404 Not Found/i, reason: 'stream not found (404)', fatal: false },
  { pattern: /5\d\d [A-Z][a-z]+/, reason: 'server error', fatal: false },
  { pattern: /Connection refused/i, reason: 'connection refused', fatal: false },
  { pattern: /timed out|Connection timeout/i, reason: 'connection timed out', fatal: false },
  {
    pattern: /No route to host|Network is unreachable/i,
    reason: 'host unreachable',
    fatal: false,
  },
  {
    pattern: /Name or service not known|Failed to resolve|name resolution|nodename nor servname/i,
    reason: 'host not found',
    fatal: false,
  },
  { pattern: /Connection reset/i, reason: 'connection reset', fatal: false },
  { pattern: /Permission denied/i, reason: 'permission denied', fatal: true },
  { pattern: /Device or resource busy/i, reason: 'device busy', fatal: false },
  { pattern: /No such file or directory/i, reason: 'no such device or file', fatal: false },
  { pattern: /Invalid data found/i, reason: 'not a readable stream (invalid data)', fatal: false },
];

/** Classifies the kept stderr lines (latest last); falls back to the exit status. */
export function classifyFfmpegFailure(
  stderrLines: readonly string[],
  exit: { code: number | null; signal: string | null },
): FfmpegFailure {
  for (const rule of RULES) {
    if (stderrLines.some((line) => rule.pattern.test(line))) {
      return { reason: rule.reason, fatal: rule.fatal };
    }
  }
  const last = stderrLines.at(-1);
  if (last !== undefined) return { reason: last, fatal: false };
  if (exit.code === 0) return { reason: 'the stream ended', fatal: false };
  return { reason: `ffmpeg exited (${exit.code ?? exit.signal})`, fatal: false };
}
