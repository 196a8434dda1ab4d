/**
 * Calendar periods (hours, days, or N-minute slots) in a named time zone. The time is an
 * argument: nothing here reads the clock. Intl supplies the zone's offset, so daylight-saving
 * changes move day boundaries the way a wall clock does.
 */

export const MS_PER_MINUTE = 60_000;
export const MINUTES_PER_HOUR = 60;
export const MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR;

/** A time zone Intl knows ("Europe/Paris", "UTC"); throws a RangeError naming the field if not. */
export function checkTimeZone(field: string, timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`${field} must be an IANA time zone such as "UTC", got "${timeZone}"`);
  }
  return timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Offsets change only at whole quarter hours of UTC (every zone's offset and change times are
 * multiples of 15 minutes), so one look-up serves a whole quarter hour: Intl is slow, and the
 * counter asks for every frame.
 */
const OFFSET_SLOT_MS = 15 * MS_PER_MINUTE;
/** Quarter hours remembered per zone before the cache starts afresh (about ten days). */
const MAX_CACHED_SLOTS = 1000;
const offsetCache = new Map<string, Map<number, number>>();

/** Local time minus UTC at `ms`, in milliseconds (e.g. +3,600,000 for Paris in winter). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  let slots = offsetCache.get(timeZone);
  if (!slots || slots.size >= MAX_CACHED_SLOTS) {
    slots = new Map();
    offsetCache.set(timeZone, slots);
  }
  const slot = Math.floor(ms / OFFSET_SLOT_MS);
  let offset = slots.get(slot);
  if (offset === undefined) {
    offset = lookUpOffsetMs(slot * OFFSET_SLOT_MS, timeZone);
    slots.set(slot, offset);
  }
  return offset;
}

function lookUpOffsetMs(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterOf(timeZone).formatToParts(ms)) parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  return asUtc - wholeSecond;
}

/**
 * Start of the period holding `ms`: periods of `periodMinutes` counted from local midnight, so 60
 * gives clock hours and 1440 calendar days. `periodMinutes` must divide a day.
 */
export function periodStartMs(ms: number, periodMinutes: number, timeZone: string): number {
  const offset = zoneOffsetMs(ms, timeZone);
  const periodMs = periodMinutes * MS_PER_MINUTE;
  const localStart = Math.floor((ms + offset) / periodMs) * periodMs;
  // Across a daylight-saving change the offset at the period's start differs from the one at ms.
  const startOffset = zoneOffsetMs(localStart - offset, timeZone);
  const start = localStart - startOffset;
  return start <= ms ? start : localStart - offset;
}

/** "2024-03-01T14:00" in the zone's local time: the key a chart or a CSV row shows. */
export function localLabel(ms: number, timeZone: string): string {
  const local = new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString();
  return local.slice(0, 16);
}

/** Whether `minutes` is a whole number of minutes in 1..1440 that divides a day evenly. */
export function dividesDay(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes >= 1 && MINUTES_PER_DAY % minutes === 0;
}
