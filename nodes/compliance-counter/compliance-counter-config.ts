/** The compliance-counter node's settings and the messages it builds from the counter core. */
import {
  DEFAULT_REPORT_MINUTES,
  DEFAULT_RETIRE_AFTER_MS,
  DEFAULT_ROLLING_MINUTES,
  type CameraComplianceOptions,
  type CameraSnapshot,
  type PeriodReport,
} from '../../src/core/camera-compliance';
import { DEFAULT_ALERT_OPTIONS } from '../../src/core/alert-rule';
import { checkTimeZone, dividesDay, MINUTES_PER_DAY } from '../../src/core/calendar-period';
import type { Track, VerdictLabel } from '../../src/core/types';
import { integerAtLeast, numberInRange, oneOf, orDefault } from '../../src/core/validate';
import { DEFAULT_VOTE_OPTIONS } from '../../src/core/verdict-vote';
import { parseZones } from '../../src/core/zones';
import type { NodeDef } from '../common/node-kit';

export interface ComplianceCounterDef extends NodeDef {
  minVotes?: string | number;
  minScore?: string | number;
  rollingMinutes?: string | number;
  retireAfterS?: string | number;
  reportMinutes?: string | number;
  timeZone?: string;
  clock?: string;
  zones?: string;
  alert?: boolean;
  alertAbovePct?: string | number;
  alertMinPeople?: string | number;
  alertCooldownMin?: string | number;
  alertHysteresisPct?: string | number;
  alertFaces?: boolean;
  annotate?: boolean;
  store?: string;
}

/** Where a frame's time comes from: its `timestampMs`, or the wall clock when it arrives. */
export type CounterClock = 'frame' | 'arrival';
const CLOCKS: readonly CounterClock[] = ['frame', 'arrival'];

export interface ComplianceCounterConfig {
  camera: CameraComplianceOptions;
  clock: CounterClock;
  annotate: boolean;
  /** Context store name; '' is the default store. */
  store: string;
}

const PERCENT = 100;
const MS_PER_MINUTE = 60_000;
const MS_PER_SECOND = 1000;
/** The longest rolling window: a week. */
const MAX_ROLLING_MINUTES = 7 * MINUTES_PER_DAY;

/** The time zone of the machine Node-RED runs on. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Validates the editor's fields; the error names the field, the rule and the value. */
export function parseComplianceCounterConfig(def: ComplianceCounterDef): ComplianceCounterConfig {
  const v = DEFAULT_VOTE_OPTIONS;
  const reportMinutes = integerAtLeast(
    'reportMinutes',
    orDefault(def.reportMinutes, DEFAULT_REPORT_MINUTES),
    1,
  );
  if (!dividesDay(reportMinutes)) {
    throw new RangeError(
      `reportMinutes must divide a day (1440 minutes) evenly, e.g. 15, 60 or 1440, got ${reportMinutes}`,
    );
  }
  const timeZoneText = String(orDefault(def.timeZone, '')).trim();
  const timeZone = timeZoneText === '' ? localTimeZone() : checkTimeZone('timeZone', timeZoneText);
  const rollingMinutes = numberInRange(
    'rollingMinutes',
    orDefault(def.rollingMinutes, DEFAULT_ROLLING_MINUTES),
    1,
    MAX_ROLLING_MINUTES,
  );
  const retireAfterS = numberInRange(
    'retireAfterS',
    orDefault(def.retireAfterS, DEFAULT_RETIRE_AFTER_MS / MS_PER_SECOND),
    1,
    rollingMinutes * 60,
  );
  return {
    camera: {
      vote: {
        minVotes: integerAtLeast('minVotes', orDefault(def.minVotes, v.minVotes), 1),
        minScore: numberInRange('minScore', orDefault(def.minScore, v.minScore), 0, 1),
      },
      zones: parseZones(def.zones ?? ''),
      rollingMs: rollingMinutes * MS_PER_MINUTE,
      retireAfterMs: retireAfterS * MS_PER_SECOND,
      timeZone,
      reportMinutes,
      alert: def.alert === false ? undefined : parseAlert(def),
      keepFaces: def.alert !== false && def.alertFaces === true,
    },
    clock: oneOf('clock', orDefault(def.clock, 'frame'), CLOCKS),
    annotate: def.annotate === true,
    store: String(orDefault(def.store, '')).trim(),
  };
}

function parseAlert(def: ComplianceCounterDef): CameraComplianceOptions['alert'] {
  const d = DEFAULT_ALERT_OPTIONS;
  const abovePct = numberInRange(
    'alertAbovePct',
    orDefault(def.alertAbovePct, d.aboveFraction * PERCENT),
    0,
    PERCENT - 1,
  );
  const hysteresisPct = numberInRange(
    'alertHysteresisPct',
    orDefault(def.alertHysteresisPct, d.hysteresisFraction * PERCENT),
    0,
    abovePct,
  );
  const cooldownMin = numberInRange(
    'alertCooldownMin',
    orDefault(def.alertCooldownMin, d.cooldownMs / MS_PER_MINUTE),
    0,
    MAX_ROLLING_MINUTES,
  );
  return {
    aboveFraction: abovePct / PERCENT,
    minPeople: integerAtLeast('alertMinPeople', orDefault(def.alertMinPeople, d.minPeople), 1),
    cooldownMs: cooldownMin * MS_PER_MINUTE,
    hysteresisFraction: hysteresisPct / PERCENT,
  };
}

export interface ComplianceSummary {
  people: number;
  mask: number;
  no_mask: number;
  incorrect: number;
  unknown: number;
  complianceRate: number | null;
}

export function summarize(snapshot: Pick<CameraSnapshot, 'counts' | 'complianceRate'>) {
  return { ...snapshot.counts, complianceRate: snapshot.complianceRate } as ComplianceSummary;
}

/** "4 people · 3 mask · 75 %"; the rate reads "– %" until someone's verdict has settled. */
export function complianceStatusText(summary: ComplianceSummary): string {
  const people = `${summary.people} ${summary.people === 1 ? 'person' : 'people'}`;
  const rate =
    summary.complianceRate === null ? '– %' : `${Math.round(summary.complianceRate * 100)} %`;
  return `${people} · ${summary.mask} mask · ${rate}`;
}

/** One row per report period: flat fields first (what a CSV or SQL table takes), zones last. */
export function reportPayload(camera: string, report: PeriodReport): Record<string, unknown> {
  return {
    camera,
    period: report.label,
    startMs: report.startMs,
    endMs: report.endMs,
    partial: report.partial,
    ...report.counts,
    complianceRate: report.complianceRate,
    unmaskedFraction: report.unmaskedFraction,
    observedMs: report.observedMs,
    blindMs: report.blindMs,
    outages: report.outages,
    peoplePerHour: report.peoplePerHour,
    zones: report.zones,
  };
}

/** Stroke colour of each verdict in the annotations (annotate-image and annotate-frame). */
export const VERDICT_COLOURS: Readonly<Record<VerdictLabel, string>> = {
  mask: '#2ca02c',
  no_mask: '#d62728',
  incorrect: '#ff7f0e',
  unknown: '#a0a0a0',
};

/**
 * A box and "#id verdict" label for each counted person in the frame, in the shape the
 * annotate-image node reads: `{ type: 'rect', bbox: [x, y, w, h], label, stroke }`.
 */
export function complianceAnnotations(
  tracks: readonly Track[],
  snapshot: Pick<CameraSnapshot, 'people'>,
): Record<string, unknown>[] {
  const verdicts = new Map(snapshot.people.map((p) => [p.trackId, p.verdict]));
  return tracks.flatMap((t) => {
    const verdict = verdicts.get(t.id);
    if (t.state !== 'confirmed' || verdict === undefined) return [];
    const { x1, y1, x2, y2 } = t.box;
    return [
      {
        type: 'rect',
        bbox: [x1, y1, x2 - x1, y2 - y1],
        label: `#${t.id} ${verdict}`,
        stroke: VERDICT_COLOURS[verdict],
        fontColor: VERDICT_COLOURS[verdict],
      },
    ];
  });
}
