/**
 * Running count of people and their mask verdicts for one camera. Each confirmed track is one
 * person, counted once for as long as the tally lives; their verdict is the vote of their faces.
 */
import {
  DEFAULT_VOTE_OPTIONS,
  VerdictVote,
  type VoteCounts,
  type VoteOptions,
} from './verdict-vote';
import type { FaceCrop, Track, VerdictLabel } from './types';

export interface TallyFrame {
  frameIndex: number;
  /** msg.tracks of the frame. */
  tracks: readonly Track[];
  /** msg.faces of the frame, with `verdict` set by the classifier. */
  faces: readonly FaceCrop[];
}

export interface PersonRecord {
  trackId: number;
  /** First frame the track was seen confirmed. */
  firstFrame: number;
  /** Last frame the track was seen confirmed. */
  lastFrame: number;
  verdict: VerdictLabel;
  votes: VoteCounts;
}

export interface ComplianceCounts {
  people: number;
  mask: number;
  no_mask: number;
  incorrect: number;
  unknown: number;
}

export interface SkippedCounts {
  /** Faces whose verdict label is none of mask / no_mask / incorrect / unknown. */
  unknownLabels: number;
  /** Faces of tracks that are not confirmed in their frame (tentative, lost, or absent). */
  unconfirmedFaces: number;
  /** Face or track entries without a numeric track id. */
  malformed: number;
}

export interface ComplianceSnapshot {
  /** Frames passed to `update` since the last reset. */
  frames: number;
  people: PersonRecord[];
  counts: ComplianceCounts;
  /** mask / (mask + no_mask + incorrect); null when none of those has settled. */
  complianceRate: number | null;
  skipped: SkippedCounts;
}

interface Person {
  trackId: number;
  firstFrame: number;
  lastFrame: number;
  vote: VerdictVote;
}

// Limitation: people are kept for the life of the tally, so memory and snapshot size grow with
// the number of people seen; way out: compliance windows that retire people after a period.
export class ComplianceTally {
  private readonly opts: VoteOptions;
  private people = new Map<number, Person>();
  private frames = 0;
  private skipped: SkippedCounts = zeroSkipped();

  constructor(options: Partial<VoteOptions> = {}) {
    this.opts = { ...DEFAULT_VOTE_OPTIONS, ...options };
  }

  /** Adds one frame: registers newly confirmed tracks and votes with their faces. */
  update({ frameIndex, tracks, faces }: TallyFrame): void {
    this.frames += 1;
    const confirmed = new Set<number>();
    for (const track of tracks) {
      if (!isTrackId(track?.id)) {
        this.skipped.malformed += 1;
      } else if (track.state === 'confirmed') {
        confirmed.add(track.id);
        this.see(track.id, frameIndex);
      }
    }
    for (const face of faces) this.vote(face, confirmed);
  }

  /** Frames passed to `update` since the last reset. */
  frameCount(): number {
    return this.frames;
  }

  snapshot(): ComplianceSnapshot {
    const people = [...this.people.values()].map((p) => ({
      trackId: p.trackId,
      firstFrame: p.firstFrame,
      lastFrame: p.lastFrame,
      verdict: p.vote.label(),
      votes: p.vote.counts(),
    }));
    const counts: ComplianceCounts = { people: people.length, ...zeroVerdicts() };
    for (const p of people) counts[p.verdict] += 1;
    const decided = counts.mask + counts.no_mask + counts.incorrect;
    return {
      frames: this.frames,
      people,
      counts,
      complianceRate: decided > 0 ? counts.mask / decided : null,
      skipped: { ...this.skipped },
    };
  }

  reset(): void {
    this.people = new Map();
    this.frames = 0;
    this.skipped = zeroSkipped();
  }

  private see(trackId: number, frameIndex: number): void {
    const person = this.people.get(trackId);
    if (person) {
      // Min/max, not overwrite: frames may arrive out of order from parallel branches.
      person.firstFrame = Math.min(person.firstFrame, frameIndex);
      person.lastFrame = Math.max(person.lastFrame, frameIndex);
      return;
    }
    const vote = new VerdictVote(this.opts);
    this.people.set(trackId, { trackId, firstFrame: frameIndex, lastFrame: frameIndex, vote });
  }

  /** A face without a verdict (no classifier upstream) is an `unknown` vote. */
  private vote(face: FaceCrop, confirmed: ReadonlySet<number>): void {
    if (!isTrackId(face?.trackId)) {
      this.skipped.malformed += 1;
      return;
    }
    const person = confirmed.has(face.trackId) ? this.people.get(face.trackId) : undefined;
    if (!person) {
      this.skipped.unconfirmedFaces += 1;
      return;
    }
    const verdict = face.verdict ?? { label: 'unknown' as const, score: 0 };
    if (!person.vote.add(verdict)) this.skipped.unknownLabels += 1;
  }
}

function isTrackId(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function zeroVerdicts(): Omit<ComplianceCounts, 'people'> {
  return { mask: 0, no_mask: 0, incorrect: 0, unknown: 0 };
}

function zeroSkipped(): SkippedCounts {
  return { unknownLabels: 0, unconfirmedFaces: 0, malformed: 0 };
}
