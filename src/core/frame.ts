import type { Frame } from './types';

/**
 * Checks that `value` is a decoded frame as video-source emits it; the error names what is wrong.
 * Only the shape is checked (O(1)): the pixels are not read.
 */
export function assertFrame(value: unknown, field = 'msg.frame'): Frame {
  if (value === undefined || value === null) {
    throw new TypeError(`${field} is missing: wire a video-source (or set ${field}) first`);
  }
  if (typeof value !== 'object')
    throw new TypeError(`${field} must be an object, got ${typeof value}`);
  const f = value as Partial<Frame>;
  if (!Buffer.isBuffer(f.data)) {
    throw new TypeError(`${field}.data must be a Buffer of pixels`);
  }
  for (const key of ['width', 'height', 'channels'] as const) {
    const v = f[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new RangeError(`${field}.${key} must be an integer ≥ 1, got ${String(v)}`);
    }
  }
  const expected = f.width! * f.height! * f.channels!;
  if (f.data.length !== expected) {
    throw new RangeError(
      `${field}.data has ${f.data.length} bytes, expected width × height × channels = ${expected}`,
    );
  }
  if (f.channels !== 3 && f.channels !== 4 && f.channels !== 1) {
    throw new RangeError(`${field}.channels must be 1, 3 or 4, got ${f.channels}`);
  }
  return f as Frame;
}
