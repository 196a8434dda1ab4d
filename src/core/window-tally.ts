/**
 * Counts of people by verdict for one compliance window, overall and per include zone, with the
 * rates derived from them. A person adds to a window once, with their verdict at that moment.
 */
import type { ComplianceCounts } from './compliance-counts';
import type { VerdictLabel } from './types';

export interface WindowCounts {
  counts: ComplianceCounts;
  /** Counts of the people seen inside each include zone (a person may be in several). */
  zones: Record<string, ComplianceCounts>;
}

export function zeroCounts(): ComplianceCounts {
  return { people: 0, mask: 0, no_mask: 0, incorrect: 0, unknown: 0 };
}

export function emptyWindow(zoneNames: readonly string[]): WindowCounts {
  const zones: Record<string, ComplianceCounts> = {};
  for (const name of zoneNames) zones[name] = zeroCounts();
  return { counts: zeroCounts(), zones };
}

/** Adds one person with `verdict`, seen in `zones`, to `window` (in place). */
export function addPerson(
  window: WindowCounts,
  verdict: VerdictLabel,
  zones: Iterable<string>,
  times = 1,
): void {
  bump(window.counts, verdict, times);
  for (const name of zones) {
    window.zones[name] ??= zeroCounts();
    bump(window.zones[name], verdict, times);
  }
}

/** Adds every count of `from` into `into` (in place). */
export function addWindow(into: WindowCounts, from: WindowCounts): void {
  addCounts(into.counts, from.counts);
  for (const [name, counts] of Object.entries(from.zones)) {
    into.zones[name] ??= zeroCounts();
    addCounts(into.zones[name], counts);
  }
}

function bump(counts: ComplianceCounts, verdict: VerdictLabel, times: number): void {
  counts.people += times;
  counts[verdict] += times;
}

function addCounts(into: ComplianceCounts, from: ComplianceCounts): void {
  into.people += from.people;
  into.mask += from.mask;
  into.no_mask += from.no_mask;
  into.incorrect += from.incorrect;
  into.unknown += from.unknown;
}

/** People with a settled verdict: mask + no_mask + incorrect (unknown people are left out). */
export function decidedOf(counts: ComplianceCounts): number {
  return counts.mask + counts.no_mask + counts.incorrect;
}

/** mask / decided; null while nobody's verdict has settled. */
export function complianceRateOf(counts: ComplianceCounts): number | null {
  const decided = decidedOf(counts);
  return decided > 0 ? counts.mask / decided : null;
}

/** (no_mask + incorrect) / decided; null while nobody's verdict has settled. */
export function unmaskedFractionOf(counts: ComplianceCounts): number | null {
  const decided = decidedOf(counts);
  return decided > 0 ? (counts.no_mask + counts.incorrect) / decided : null;
}

/** A stored window read back; a field that is not a count reads as 0. */
export function windowFromStore(value: unknown): WindowCounts {
  const w = value as Partial<WindowCounts> | null;
  const zones: Record<string, ComplianceCounts> = {};
  for (const [name, counts] of Object.entries(w?.zones ?? {}))
    zones[name] = countsFromStore(counts);
  return { counts: countsFromStore(w?.counts), zones };
}

function countsFromStore(value: unknown): ComplianceCounts {
  const c = (value ?? {}) as Record<string, unknown>;
  const n = (v: unknown): number => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : 0);
  return {
    people: n(c.people),
    mask: n(c.mask),
    no_mask: n(c.no_mask),
    incorrect: n(c.incorrect),
    unknown: n(c.unknown),
  };
}
