/** The compliance-counter node's settings and the compact summary it puts on msg.payload. */
import type { ComplianceSnapshot } from '../../src/core/compliance-tally';
import { integerAtLeast, numberInRange, orDefault } from '../../src/core/validate';
import { DEFAULT_VOTE_OPTIONS, type VoteOptions } from '../../src/core/verdict-vote';
import type { NodeDef } from '../common/node-kit';

export interface ComplianceCounterDef extends NodeDef {
  minVotes?: string | number;
  minScore?: string | number;
}

/** Validates the editor's fields; the error names the field, the rule and the value. */
export function parseComplianceCounterConfig(def: ComplianceCounterDef): VoteOptions {
  const d = DEFAULT_VOTE_OPTIONS;
  return {
    minVotes: integerAtLeast('minVotes', orDefault(def.minVotes, d.minVotes), 1),
    minScore: numberInRange('minScore', orDefault(def.minScore, d.minScore), 0, 1),
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

export function summarize(snapshot: ComplianceSnapshot): ComplianceSummary {
  return { ...snapshot.counts, complianceRate: snapshot.complianceRate };
}

/** "4 people · 3 mask · 75 %"; the rate reads "– %" until someone's verdict has settled. */
export function complianceStatusText(summary: ComplianceSummary): string {
  const people = `${summary.people} ${summary.people === 1 ? 'person' : 'people'}`;
  const rate =
    summary.complianceRate === null ? '– %' : `${Math.round(summary.complianceRate * 100)} %`;
  return `${people} · ${summary.mask} mask · ${rate}`;
}
