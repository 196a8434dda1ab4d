/**
 * Validation at the edge: every message names the field, the rule and the value, e.g.
 * "maxAgeFrames must be an integer ≥ 1, got 0".
 */

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.slice(0, 60);
  } catch {
    return String(value);
  }
}

/** Parses a number from config (Node-RED stores form fields as strings). */
export function toNumber(field: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new TypeError(`${field} must be a finite number, got ${show(value)}`);
  }
  return n;
}

export function integerAtLeast(field: string, value: unknown, min: number): number {
  const n = toNumber(field, value);
  if (!Number.isInteger(n) || n < min) {
    throw new RangeError(`${field} must be an integer ≥ ${min}, got ${show(value)}`);
  }
  return n;
}

export function numberInRange(field: string, value: unknown, min: number, max: number): number {
  const n = toNumber(field, value);
  if (n < min || n > max) {
    throw new RangeError(`${field} must be between ${min} and ${max}, got ${show(value)}`);
  }
  return n;
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new RangeError(`${field} must be one of ${allowed.join(' / ')}, got ${show(value)}`);
  }
  return value as T;
}

export function nonEmptyString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${field} must be a non-empty string, got ${show(value)}`);
  }
  return value;
}

/** Uses `fallback` when the config field is absent or blank. */
export function orDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined || value === null || value === '' ? fallback : value;
}
