import { expect } from 'chai';
import { VerdictVote } from '../../src/core/verdict-vote';
import type { VerdictLabel } from '../../src/core/types';

function voteOf(labels: [VerdictLabel, number][], options = { minVotes: 3, minScore: 0.6 }) {
  const vote = new VerdictVote(options);
  for (const [label, score] of labels) vote.add({ label, score });
  return vote;
}

describe('verdict-vote', () => {
  it('settles a flickering track to the majority label', () => {
    const vote = voteOf([
      ['mask', 0.9],
      ['no_mask', 0.7],
      ['mask', 0.8],
      ['unknown', 0],
      ['mask', 0.95],
      ['no_mask', 0.65],
    ]);
    expect(vote.label()).to.equal('mask');
    expect(vote.counts()).to.deep.equal({ mask: 3, no_mask: 2, incorrect: 0, unknown: 1 });
  });

  it('stays unknown below the minimum number of agreeing faces', () => {
    const vote = voteOf([
      ['no_mask', 0.9],
      ['no_mask', 0.9],
    ]);
    expect(vote.label()).to.equal('unknown');
    vote.add({ label: 'no_mask', score: 0.9 });
    expect(vote.label()).to.equal('no_mask');
  });

  it('counts a verdict scored under the minimum as unknown, not as its label', () => {
    const vote = voteOf([
      ['mask', 0.5],
      ['mask', 0.5],
      ['mask', 0.5],
    ]);
    expect(vote.label()).to.equal('unknown');
    expect(vote.counts()).to.deep.equal({ mask: 0, no_mask: 0, incorrect: 0, unknown: 3 });
  });

  it('breaks a tie in votes by the higher summed score', () => {
    const vote = voteOf(
      [
        ['mask', 0.7],
        ['incorrect', 0.9],
        ['mask', 0.7],
        ['incorrect', 0.9],
      ],
      { minVotes: 2, minScore: 0.6 },
    );
    expect(vote.label()).to.equal('incorrect');
  });

  it('stays unknown when votes and scores tie exactly', () => {
    const vote = voteOf(
      [
        ['mask', 0.8],
        ['no_mask', 0.8],
        ['mask', 0.8],
        ['no_mask', 0.8],
      ],
      { minVotes: 2, minScore: 0.6 },
    );
    expect(vote.label()).to.equal('unknown');
  });

  it('refuses a label outside the known set without counting it', () => {
    const vote = new VerdictVote();
    expect(vote.add({ label: 'hat' as VerdictLabel, score: 0.99 })).to.equal(false);
    expect(vote.counts()).to.deep.equal({ mask: 0, no_mask: 0, incorrect: 0, unknown: 0 });
  });
});
