/**
 * One track's vote over frames: single-frame verdicts flicker (blur, a hand, a turned head), so a
 * person's verdict is the label most of their confident faces agreed on.
 */
import { VERDICT_LABELS, type Verdict, type VerdictLabel } from './types';

/** Confident faces that must agree before a person's verdict settles (one frame is a guess). */
export const DEFAULT_MIN_VOTES = 3;
/** A verdict scored below this abstains: it is counted as `unknown`, not as its label. */
export const DEFAULT_MIN_SCORE = 0.6;

export interface VoteOptions {
  minVotes: number;
  minScore: number;
}

export const DEFAULT_VOTE_OPTIONS: Readonly<VoteOptions> = {
  minVotes: DEFAULT_MIN_VOTES,
  minScore: DEFAULT_MIN_SCORE,
};

export type VoteCounts = Record<VerdictLabel, number>;

/** What a vote needs to resume after a restart: the counts and the summed scores per label. */
export interface VoteState {
  votes: VoteCounts;
  scoreSums: Record<'mask' | 'no_mask' | 'incorrect', number>;
}

/** Labels that can win a vote; `unknown` only ever abstains. */
const DECIDING = ['mask', 'no_mask', 'incorrect'] as const;

export class VerdictVote {
  private readonly votes: VoteCounts = { mask: 0, no_mask: 0, incorrect: 0, unknown: 0 };
  private readonly scoreSums: Record<(typeof DECIDING)[number], number> = {
    mask: 0,
    no_mask: 0,
    incorrect: 0,
  };
  private readonly opts: VoteOptions;

  constructor(options: Partial<VoteOptions> = {}, state?: VoteState) {
    this.opts = { ...DEFAULT_VOTE_OPTIONS, ...options };
    if (state) {
      for (const label of VERDICT_LABELS) this.votes[label] = finiteCount(state.votes?.[label]);
      for (const label of DECIDING) this.scoreSums[label] = finiteCount(state.scoreSums?.[label]);
    }
  }

  /** The counts and score sums, for a store; `new VerdictVote(options, state)` resumes it. */
  state(): VoteState {
    return { votes: { ...this.votes }, scoreSums: { ...this.scoreSums } };
  }

  /**
   * Adds one face's verdict; an `unknown` or low-scored verdict is counted as `unknown`. Returns
   * false, counting nothing, for a label outside mask / no_mask / incorrect / unknown.
   */
  add(verdict: Pick<Verdict, 'label' | 'score'>): boolean {
    const label: unknown = verdict.label;
    if (!VERDICT_LABELS.includes(label as VerdictLabel)) return false;
    const score = Number.isFinite(verdict.score) ? verdict.score : 0;
    if (label === 'unknown' || score < this.opts.minScore) {
      this.votes.unknown += 1;
      return true;
    }
    const deciding = label as (typeof DECIDING)[number];
    this.votes[deciding] += 1;
    this.scoreSums[deciding] += score;
    return true;
  }

  /** Faces counted per label so far (a copy). */
  counts(): VoteCounts {
    return { ...this.votes };
  }

  /**
   * The label with the most confident votes (a tie goes to the higher summed score), once it has
   * at least `minVotes`; `unknown` before that, or when count and score tie exactly.
   */
  label(): VerdictLabel {
    const ranked = DECIDING.map((label) => ({
      label,
      votes: this.votes[label],
      scoreSum: this.scoreSums[label],
    })).sort((a, b) => b.votes - a.votes || b.scoreSum - a.scoreSum);
    const [first, second] = ranked;
    const exactTie = first.votes === second.votes && first.scoreSum === second.scoreSum;
    if (first.votes < this.opts.minVotes || exactTie) return 'unknown';
    return first.label;
  }
}

/** A stored count read back: anything but a finite number ≥ 0 reads as 0. */
function finiteCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
