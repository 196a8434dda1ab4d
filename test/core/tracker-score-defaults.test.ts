import { expect } from 'chai';
import { DEFAULT_TRACKER_OPTIONS } from '../../src/core/tracker';
import { trackerScoresFor, withMeasuredScores } from '../../src/core/tracker-score-defaults';

describe('tracker score thresholds per pose model', () => {
  it('gives each measured pose model its own pair, and the defaults are MoveNet’s', () => {
    expect(trackerScoresFor('movenet-multipose')).to.deep.equal({
      highScore: DEFAULT_TRACKER_OPTIONS.highScore,
      lowScore: DEFAULT_TRACKER_OPTIONS.lowScore,
    });
    expect(trackerScoresFor('posenet')?.highScore).to.be.above(DEFAULT_TRACKER_OPTIONS.highScore);
    expect(trackerScoresFor('my-own-model')).to.equal(undefined);
  });

  it('fills only the thresholds the caller left out', () => {
    expect(withMeasuredScores('posenet', { minHits: 2 })).to.deep.equal({
      minHits: 2,
      ...trackerScoresFor('posenet'),
    });
    expect(withMeasuredScores('posenet', { highScore: 0.7 })).to.include({ highScore: 0.7 });
    expect(withMeasuredScores('my-own-model', { minHits: 2 })).to.deep.equal({ minHits: 2 });
  });
});
