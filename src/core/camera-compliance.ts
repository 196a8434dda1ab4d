/**
 * Compliance of one camera over time: each confirmed track is one person, counted once, with the
 * verdict their faces voted for; counts are kept since the last reset, over a rolling window, per
 * calendar hour and day, per report period and per include zone; blind intervals (outages) are
 * subtracted from the observed time; the alert rule watches the rolling window.
 *
 * Time is an argument (`timestampMs` of each frame); the camera's clock is the latest timestamp it
 * was given, so a frame that arrives late never moves a window back.
 */
import { AlertRule, type AlertOptions, type AlertState, type AlertTransition } from './alert-rule';
import { BlindIntervals, type BlindCoverage, type BlindInterval } from './blind-intervals';
import { localLabel, MINUTES_PER_DAY, MINUTES_PER_HOUR } from './calendar-period';
import type { ComplianceCounts, SkippedCounts } from './compliance-counts';
import { PeriodBuckets, type StoredBucket } from './period-buckets';
import type { FaceCrop, PixelCrop, Track, VerdictLabel } from './types';
import { VerdictVote, type VoteCounts, type VoteOptions, type VoteState } from './verdict-vote';
import {
  addPerson,
  addWindow,
  complianceRateOf,
  emptyWindow,
  unmaskedFractionOf,
  windowFromStore,
  type WindowCounts,
} from './window-tally';
import { footPoint, includeZoneNames, place, type Zone } from './zones';

/** Length of the rolling window when none is configured. */
export const DEFAULT_ROLLING_MINUTES = 15;
/**
 * A track unseen this long has left: its verdict is final and it moves to the period counts.
 * Longer than any tracker keeps a lost track (kalman-tracker: maxAgeFrames, about 1–2 s).
 */
export const DEFAULT_RETIRE_AFTER_MS = 60_000;
/** Period of the reports on the counter's third output when none is configured: clock hours. */
export const DEFAULT_REPORT_MINUTES = MINUTES_PER_HOUR;
/** Hour and day counts kept for the windows and reports (two days of hours, a month of days). */
const KEEP_HOURS = 48;
const KEEP_DAYS = 31;
/** Report periods kept: the one closing and the one open. */
const KEEP_REPORT_PERIODS = 2;
const MS_PER_MINUTE = 60_000;
/** Version of the stored state; a store of another version is ignored, not misread. */
export const CAMERA_STATE_VERSION = 1;

export interface CameraComplianceOptions {
  vote: VoteOptions;
  zones: readonly Zone[];
  rollingMs: number;
  retireAfterMs: number;
  /** IANA zone of the calendar hours and days. */
  timeZone: string;
  /** Report period in minutes; must divide a day (60 = hourly, 1440 = daily). */
  reportMinutes: number;
  /** The alert rule on the rolling window; none when undefined. */
  alert?: AlertOptions;
  /** Keep each violator's best face crop for alerts (in memory only, never stored). */
  keepFaces: boolean;
}

export interface CameraFrame {
  timestampMs: number;
  frameIndex: number;
  tracks: readonly Track[];
  faces: readonly FaceCrop[];
  /** Frame size in pixels: needed to place tracks in zones. */
  frameWidth?: number;
  frameHeight?: number;
}

export interface PersonRecord {
  trackId: number;
  firstFrame: number;
  lastFrame: number;
  firstSeenMs: number;
  lastSeenMs: number;
  verdict: VerdictLabel;
  votes: VoteCounts;
  /** Include zones the person was seen in. */
  zones: string[];
}

export interface WindowReport extends WindowCounts, BlindCoverage {
  startMs: number;
  endMs: number;
  /** Local start time in the configured zone, e.g. "2024-03-01T14:00". */
  label: string;
  complianceRate: number | null;
  unmaskedFraction: number | null;
  /** People per observed hour (blind time left out); null when nothing was observed. */
  peoplePerHour: number | null;
}

export interface PeriodReport extends WindowReport {
  /** True for a report of a period still open (a flush), false for a closed period. */
  partial: boolean;
}

export interface CameraSnapshot {
  /** The camera's clock: the latest frame timestamp; null before the first frame. */
  timeMs: number | null;
  frames: number;
  /** People still in view (not yet retired). */
  people: PersonRecord[];
  /** Since the last reset. */
  counts: ComplianceCounts;
  complianceRate: number | null;
  zones: Record<string, ComplianceCounts>;
  windows: { rolling: WindowReport; hour: WindowReport; day: WindowReport };
  /** Blind intervals since the last reset. */
  blind: { outages: number; blindMs: number };
  skipped: CameraSkipped;
  alert: AlertState | null;
}

export interface CameraSkipped extends SkippedCounts {
  /** Frames of confirmed tracks standing outside every include zone or inside an exclude zone. */
  outsideZones: number;
}

export interface Violator {
  trackId: number;
  verdict: VerdictLabel;
  firstSeenMs: number;
  lastSeenMs: number;
  /** The face the classifier was surest of, when faces are kept; never stored. */
  face?: PixelCrop;
}

export interface AlertEvent {
  transition: AlertTransition;
  window: WindowReport;
  violators: Violator[];
  rule: AlertOptions;
}

export interface FrameOutcome {
  alert?: AlertEvent;
  /** Report periods that closed with this frame. */
  reports: PeriodReport[];
  /** People who left with this frame (unseen for retireAfterMs), with their final verdict. */
  departed: PersonRecord[];
}

/** The camera as written to a context store: plain JSON, no face crops. */
export interface CameraState {
  version: typeof CAMERA_STATE_VERSION;
  sinceMs: number | null;
  nowMs: number | null;
  frames: number;
  skipped: CameraSkipped;
  live: StoredPerson[];
  recent: StoredRetired[];
  total: WindowCounts;
  hours: StoredBucket[];
  days: StoredBucket[];
  reports: StoredBucket[];
  reportStartMs: number | null;
  blind: BlindInterval[];
  blindTotal: { outages: number; blindMs: number };
  alert: AlertState | null;
}

interface StoredPerson {
  trackId: number;
  firstSeenMs: number;
  lastSeenMs: number;
  firstFrame: number;
  lastFrame: number;
  vote: VoteState;
  zones: string[];
}

interface StoredRetired {
  trackId: number;
  firstSeenMs: number;
  lastSeenMs: number;
  verdict: VerdictLabel;
  zones: string[];
}

type ViolationLabel = 'no_mask' | 'incorrect';

interface Person {
  trackId: number;
  firstSeenMs: number;
  lastSeenMs: number;
  firstFrame: number;
  lastFrame: number;
  vote: VerdictVote;
  zones: Set<string>;
  bestFaces: Partial<Record<ViolationLabel, { crop: PixelCrop; score: number }>>;
}

interface Retired extends StoredRetired {
  face?: PixelCrop;
}

function zeroSkipped(): CameraSkipped {
  return { unknownLabels: 0, unconfirmedFaces: 0, malformed: 0, outsideZones: 0 };
}

function isTrackId(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isViolation(label: VerdictLabel): label is ViolationLabel {
  return label === 'no_mask' || label === 'incorrect';
}

export class CameraCompliance {
  private readonly zoneNames: string[];
  private live = new Map<number, Person>();
  /** Retired people still inside the rolling window, oldest last-seen first. */
  private recent: Retired[] = [];
  private total: WindowCounts;
  private hours: PeriodBuckets;
  private days: PeriodBuckets;
  private reportBuckets: PeriodBuckets;
  private reportStartMs: number | null = null;
  private blind = new BlindIntervals();
  private blindTotal = { outages: 0, blindMs: 0 };
  private sinceMs: number | null = null;
  private nowMs: number | null = null;
  private frames = 0;
  private skipped = zeroSkipped();
  private alertRule: AlertRule | undefined;

  constructor(private readonly opts: CameraComplianceOptions) {
    this.zoneNames = includeZoneNames(opts.zones);
    this.total = emptyWindow(this.zoneNames);
    this.hours = this.buckets(MINUTES_PER_HOUR, KEEP_HOURS);
    this.days = this.buckets(MINUTES_PER_DAY, KEEP_DAYS);
    this.reportBuckets = this.buckets(opts.reportMinutes, KEEP_REPORT_PERIODS);
    this.alertRule = opts.alert ? new AlertRule(opts.alert) : undefined;
  }

  private buckets(minutes: number, keep: number, stored?: StoredBucket[]): PeriodBuckets {
    return new PeriodBuckets(minutes, this.opts.timeZone, keep, this.zoneNames, stored);
  }

  /** Adds one frame: registers confirmed tracks, votes with their faces, retires the departed. */
  update(frame: CameraFrame): FrameOutcome {
    const nowMs = this.advance(frame.timestampMs);
    this.frames += 1;
    const counted = new Set<number>();
    for (const track of frame.tracks) {
      if (!isTrackId(track?.id)) this.skipped.malformed += 1;
      else if (track.state === 'confirmed' && this.see(track, frame)) counted.add(track.id);
    }
    for (const face of frame.faces) this.vote(face, counted);
    const departed = this.retireDeparted(nowMs);
    const reports = this.closeReportPeriods(nowMs);
    const alert = this.evaluateAlert(nowMs);
    return alert ? { alert, reports, departed } : { reports, departed };
  }

  /** Marks `[startMs, endMs]` as blind (the camera sent no frames). False when empty. */
  addOutage(startMs: number, endMs: number): boolean {
    if (!this.blind.add(startMs, endMs)) return false;
    this.blindTotal.outages += 1;
    this.blindTotal.blindMs += endMs - startMs;
    return true;
  }

  /** The open report period up to the camera's clock, marked partial; undefined before a frame. */
  flush(): PeriodReport | undefined {
    if (this.nowMs === null || this.reportStartMs === null) return undefined;
    return { ...this.periodReport(this.reportStartMs, this.nowMs), partial: true };
  }

  /** Frames passed to `update` since the last reset. */
  frameCount(): number {
    return this.frames;
  }

  snapshot(): CameraSnapshot {
    const now = this.nowMs ?? 0;
    const totalWindow = this.liveWindow(() => true);
    addWindow(totalWindow, this.total);
    return {
      timeMs: this.nowMs,
      frames: this.frames,
      people: [...this.live.values()].map((p) => this.record(p)),
      counts: totalWindow.counts,
      complianceRate: complianceRateOf(totalWindow.counts),
      zones: totalWindow.zones,
      windows: {
        rolling: this.rollingWindow(now),
        hour: this.periodWindow(this.hours, now),
        day: this.periodWindow(this.days, now),
      },
      blind: { ...this.blindTotal },
      skipped: { ...this.skipped },
      alert: this.alertRule?.snapshot() ?? null,
    };
  }

  /** Plain JSON for a context store; face crops are left out. */
  toState(): CameraState {
    return {
      version: CAMERA_STATE_VERSION,
      sinceMs: this.sinceMs,
      nowMs: this.nowMs,
      frames: this.frames,
      skipped: { ...this.skipped },
      live: [...this.live.values()].map((p) => ({
        trackId: p.trackId,
        firstSeenMs: p.firstSeenMs,
        lastSeenMs: p.lastSeenMs,
        firstFrame: p.firstFrame,
        lastFrame: p.lastFrame,
        vote: p.vote.state(),
        zones: [...p.zones],
      })),
      recent: this.recent.map(({ face: _face, ...stored }) => stored),
      total: this.total,
      hours: this.hours.toStore(),
      days: this.days.toStore(),
      reports: this.reportBuckets.toStore(),
      reportStartMs: this.reportStartMs,
      blind: this.blind.list(),
      blindTotal: { ...this.blindTotal },
      alert: this.alertRule?.snapshot() ?? null,
    };
  }

  /**
   * Resumes a stored camera. The people who were in view are retired at once: after a restart the
   * tracker numbers tracks afresh, so their ids can no longer be matched, but their counts stay.
   */
  static fromState(opts: CameraComplianceOptions, state: CameraState): CameraCompliance {
    const cam = new CameraCompliance(opts);
    cam.sinceMs = finiteOrNull(state.sinceMs);
    cam.nowMs = finiteOrNull(state.nowMs);
    cam.frames = Number.isInteger(state.frames) ? state.frames : 0;
    cam.skipped = { ...zeroSkipped(), ...state.skipped };
    cam.total = windowFromStore(state.total);
    cam.hours = cam.buckets(MINUTES_PER_HOUR, KEEP_HOURS, state.hours ?? []);
    cam.days = cam.buckets(MINUTES_PER_DAY, KEEP_DAYS, state.days ?? []);
    cam.reportBuckets = cam.buckets(opts.reportMinutes, KEEP_REPORT_PERIODS, state.reports ?? []);
    cam.reportStartMs = finiteOrNull(state.reportStartMs);
    cam.blind = BlindIntervals.from(state.blind ?? []);
    const bt = state.blindTotal;
    cam.blindTotal = { outages: bt?.outages ?? 0, blindMs: bt?.blindMs ?? 0 };
    cam.recent = (state.recent ?? []).map((r) => ({ ...r, zones: [...r.zones] }));
    if (opts.alert && state.alert) cam.alertRule = new AlertRule(opts.alert, state.alert);
    for (const p of state.live ?? []) {
      const vote = new VerdictVote(opts.vote, p.vote);
      cam.retire({ ...p, vote, zones: new Set(p.zones), bestFaces: {} });
    }
    return cam;
  }

  private advance(timestampMs: number): number {
    if (!Number.isFinite(timestampMs)) {
      throw new RangeError(`timestampMs must be a finite number, got ${String(timestampMs)}`);
    }
    this.sinceMs ??= timestampMs;
    this.nowMs = Math.max(this.nowMs ?? timestampMs, timestampMs);
    this.reportStartMs ??= this.reportBuckets.startOf(this.nowMs);
    return this.nowMs;
  }

  /** Registers a confirmed track in this frame; false when it stands outside the counted area. */
  private see(track: Track, frame: CameraFrame): boolean {
    const zones = this.zonesOf(track, frame);
    if (zones === undefined) {
      this.skipped.outsideZones += 1;
      return false;
    }
    const t = frame.timestampMs;
    const person = this.live.get(track.id);
    if (person) {
      // Min/max, not overwrite: frames may arrive out of order from parallel branches.
      person.firstSeenMs = Math.min(person.firstSeenMs, t);
      person.lastSeenMs = Math.max(person.lastSeenMs, t);
      person.firstFrame = Math.min(person.firstFrame, frame.frameIndex);
      person.lastFrame = Math.max(person.lastFrame, frame.frameIndex);
      for (const z of zones) person.zones.add(z);
      return true;
    }
    this.live.set(track.id, {
      trackId: track.id,
      firstSeenMs: t,
      lastSeenMs: t,
      firstFrame: frame.frameIndex,
      lastFrame: frame.frameIndex,
      vote: new VerdictVote(this.opts.vote),
      zones: new Set(zones),
      bestFaces: {},
    });
    return true;
  }

  /** Include zones holding the track's foot point; undefined when it is not counted. */
  private zonesOf(track: Track, frame: CameraFrame): string[] | undefined {
    if (this.opts.zones.length === 0) return [];
    const { frameWidth: w, frameHeight: h } = frame;
    if (!(typeof w === 'number' && w > 0 && typeof h === 'number' && h > 0)) {
      throw new RangeError(
        `msg.frame.width and height must be positive to place tracks in zones, got ${w} × ${h}`,
      );
    }
    const placement = place(this.opts.zones, footPoint(track.box, w, h));
    return placement.counted ? placement.zones : undefined;
  }

  /** A face without a verdict (no classifier upstream) is an `unknown` vote. */
  private vote(face: FaceCrop, counted: ReadonlySet<number>): void {
    if (!isTrackId(face?.trackId)) {
      this.skipped.malformed += 1;
      return;
    }
    const person = counted.has(face.trackId) ? this.live.get(face.trackId) : undefined;
    if (!person) {
      this.skipped.unconfirmedFaces += 1;
      return;
    }
    const verdict = face.verdict ?? { label: 'unknown' as const, score: 0 };
    if (!person.vote.add(verdict)) {
      this.skipped.unknownLabels += 1;
      return;
    }
    if (this.opts.keepFaces && face.crop && isViolation(verdict.label)) {
      const best = person.bestFaces[verdict.label];
      if (!best || verdict.score > best.score) {
        person.bestFaces[verdict.label] = { crop: face.crop, score: verdict.score };
      }
    }
  }

  /** Retires the people unseen for too long and returns their final records. */
  private retireDeparted(nowMs: number): PersonRecord[] {
    const departed: PersonRecord[] = [];
    for (const person of this.live.values()) {
      if (nowMs - person.lastSeenMs <= this.opts.retireAfterMs) continue;
      departed.push(this.record(person));
      this.retire(person);
    }
    const from = nowMs - this.opts.rollingMs;
    this.recent = this.recent.filter((r) => r.lastSeenMs >= from);
    this.hours.prune(nowMs);
    this.days.prune(nowMs);
    this.reportBuckets.prune(nowMs);
    this.blind.prune(Math.min(from, this.days.startOf(nowMs), this.reportStartMs ?? nowMs));
    return departed;
  }

  /**
   * Moves a person out of view: their verdict is final and joins the period counts.
   * Limitation: someone who leaves and comes back under a new track id is a second person; way
   * out: re-identification by appearance, which the tracker does not do.
   */
  private retire(person: Person): void {
    this.live.delete(person.trackId);
    const verdict = person.vote.label();
    const zones = [...person.zones];
    addPerson(this.total, verdict, zones);
    this.hours.add(person.firstSeenMs, verdict, zones);
    this.days.add(person.firstSeenMs, verdict, zones);
    this.reportBuckets.add(person.firstSeenMs, verdict, zones);
    const face = isViolation(verdict) ? person.bestFaces[verdict]?.crop : undefined;
    const { trackId, firstSeenMs, lastSeenMs } = person;
    this.recent.push({ trackId, firstSeenMs, lastSeenMs, verdict, zones, face });
    this.recent.sort((a, b) => a.lastSeenMs - b.lastSeenMs);
  }

  // Limitation: a period closes only when a frame of the next one arrives, so a camera that goes
  // quiet at 10:50 reports that hour with its next frame; way out: a timer at the node's edge
  // that flushes closed periods on the wall clock.
  private closeReportPeriods(nowMs: number): PeriodReport[] {
    const open = this.reportBuckets.startOf(nowMs);
    const previous = this.reportStartMs;
    if (previous === null || open <= previous) return [];
    this.reportStartMs = open;
    const end = this.reportBuckets.endOf(previous);
    return [{ ...this.periodReport(previous, end), partial: false }];
  }

  private periodReport(startMs: number, endMs: number): WindowReport {
    const window = this.liveWindow((p) => p.firstSeenMs >= startMs && p.firstSeenMs < endMs);
    addWindow(window, this.reportBuckets.get(startMs));
    return this.report(window, startMs, endMs);
  }

  // Limitation: the rolling window is summed afresh on every snapshot, O(people seen in it); at a
  // busy entrance (thousands an hour) that costs per frame; way out: running sums updated as
  // people enter and leave the window.
  private rollingWindow(nowMs: number): WindowReport {
    const from = nowMs - this.opts.rollingMs;
    const window = this.liveWindow((p) => p.lastSeenMs >= from);
    for (const r of this.recent) if (r.lastSeenMs >= from) addPerson(window, r.verdict, r.zones);
    return this.report(window, from, nowMs);
  }

  private periodWindow(buckets: PeriodBuckets, nowMs: number): WindowReport {
    const start = buckets.startOf(nowMs);
    const window = this.liveWindow((p) => p.firstSeenMs >= start);
    addWindow(window, buckets.get(start));
    return this.report(window, start, nowMs);
  }

  private liveWindow(include: (p: Person) => boolean): WindowCounts {
    const window = emptyWindow(this.zoneNames);
    for (const p of this.live.values()) if (include(p)) addPerson(window, p.vote.label(), p.zones);
    return window;
  }

  private report(window: WindowCounts, startMs: number, endMs: number): WindowReport {
    const coverage = this.blind.coverage(startMs, endMs);
    const hours = coverage.observedMs / (MINUTES_PER_HOUR * MS_PER_MINUTE);
    return {
      startMs,
      endMs,
      label: localLabel(startMs, this.opts.timeZone),
      ...window,
      complianceRate: complianceRateOf(window.counts),
      unmaskedFraction: unmaskedFractionOf(window.counts),
      peoplePerHour: hours > 0 ? window.counts.people / hours : null,
      ...coverage,
    };
  }

  private evaluateAlert(nowMs: number): AlertEvent | undefined {
    if (!this.alertRule) return undefined;
    const window = this.rollingWindow(nowMs);
    const { mask, no_mask, incorrect } = window.counts;
    const input = { decided: mask + no_mask + incorrect, unmasked: no_mask + incorrect };
    const transition = this.alertRule.evaluate(input, nowMs);
    if (!transition) return undefined;
    const violators = transition === 'alert' ? this.violators(window.startMs) : [];
    return { transition, window, violators, rule: { ...this.opts.alert! } };
  }

  /** People in the rolling window whose verdict is no_mask or incorrect. */
  private violators(fromMs: number): Violator[] {
    const list: Violator[] = [];
    for (const p of this.live.values()) {
      const verdict = p.vote.label();
      if (p.lastSeenMs < fromMs || !isViolation(verdict)) continue;
      const face = p.bestFaces[verdict]?.crop;
      list.push({ ...violatorOf(p, verdict), ...(face ? { face } : {}) });
    }
    for (const r of this.recent) {
      if (r.lastSeenMs < fromMs || !isViolation(r.verdict)) continue;
      list.push({ ...violatorOf(r, r.verdict), ...(r.face ? { face: r.face } : {}) });
    }
    return list;
  }

  private record(p: Person): PersonRecord {
    return {
      trackId: p.trackId,
      firstFrame: p.firstFrame,
      lastFrame: p.lastFrame,
      firstSeenMs: p.firstSeenMs,
      lastSeenMs: p.lastSeenMs,
      verdict: p.vote.label(),
      votes: p.vote.counts(),
      zones: [...p.zones],
    };
  }
}

function violatorOf(
  p: { trackId: number; firstSeenMs: number; lastSeenMs: number },
  verdict: VerdictLabel,
): Violator {
  return { trackId: p.trackId, verdict, firstSeenMs: p.firstSeenMs, lastSeenMs: p.lastSeenMs };
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Whether `value` looks like a stored camera of this version (checked before `fromState`). */
export function isCameraState(value: unknown): value is CameraState {
  const s = value as Partial<CameraState> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    s.version === CAMERA_STATE_VERSION &&
    Array.isArray(s.live) &&
    Array.isArray(s.recent) &&
    typeof s.total === 'object'
  );
}
