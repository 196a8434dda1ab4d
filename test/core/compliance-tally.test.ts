import { expect } from 'chai';
import { ComplianceTally } from '../../src/core/compliance-tally';
import type { FaceCrop, Track, TrackState, VerdictLabel } from '../../src/core/types';

const BOX = { x1: 0, y1: 0, x2: 10, y2: 10 };

function track(id: number, state: TrackState = 'confirmed'): Track {
  return { id, box: BOX, velocity: { x: 0, y: 0 }, state, age: 5, hits: 5 };
}

function face(trackId: number, label?: VerdictLabel, score = 0.9): FaceCrop {
  const base: FaceCrop = { trackId, box: BOX, view: label ? 'frontal' : 'back' };
  return label ? { ...base, verdict: { label, score } } : { ...base, reason: 'face not visible' };
}

/** Feeds `frames` frames in which every listed track shows the given face. */
function feed(tally: ComplianceTally, frames: number, people: [number, VerdictLabel?][]) {
  for (let i = 0; i < frames; i += 1) {
    tally.update({
      frameIndex: i,
      tracks: people.map(([id]) => track(id)),
      faces: people.map(([id, label]) => face(id, label)),
    });
  }
}

describe('compliance-tally', () => {
  it('counts a person seen for 200 frames once, with first and last frame', () => {
    const tally = new ComplianceTally({ minVotes: 3, minScore: 0.6 });
    feed(tally, 200, [[7, 'mask']]);
    const snap = tally.snapshot();
    expect(snap.frames).to.equal(200);
    expect(snap.counts).to.deep.equal({ people: 1, mask: 1, no_mask: 0, incorrect: 0, unknown: 0 });
    expect(snap.people).to.deep.equal([
      {
        trackId: 7,
        firstFrame: 0,
        lastFrame: 199,
        verdict: 'mask',
        votes: { mask: 200, no_mask: 0, incorrect: 0, unknown: 0 },
      },
    ]);
  });

  it('counts a track whose face is never visible as unknown, not compliant', () => {
    const tally = new ComplianceTally();
    feed(tally, 50, [[1]]);
    const snap = tally.snapshot();
    expect(snap.counts.people).to.equal(1);
    expect(snap.counts.unknown).to.equal(1);
    expect(snap.counts.mask).to.equal(0);
    expect(snap.complianceRate).to.equal(null);
  });

  it('leaves unknown people out of the compliance rate', () => {
    const tally = new ComplianceTally({ minVotes: 3, minScore: 0.6 });
    feed(tally, 10, [[1, 'mask'], [2, 'mask'], [3, 'mask'], [4, 'no_mask'], [5], [6]]);
    const snap = tally.snapshot();
    expect(snap.counts).to.deep.equal({ people: 6, mask: 3, no_mask: 1, incorrect: 0, unknown: 2 });
    expect(snap.complianceRate).to.be.closeTo(3 / 4, 1e-12);
  });

  it('skips verdict labels outside the known set and counts them', () => {
    const tally = new ComplianceTally({ minVotes: 1, minScore: 0.6 });
    tally.update({ frameIndex: 0, tracks: [track(1)], faces: [face(1, 'hat' as VerdictLabel)] });
    tally.update({ frameIndex: 1, tracks: [track(1)], faces: [face(1, 'no_mask')] });
    const snap = tally.snapshot();
    expect(snap.skipped.unknownLabels).to.equal(1);
    expect(snap.people[0].votes).to.deep.equal({ mask: 0, no_mask: 1, incorrect: 0, unknown: 0 });
    expect(snap.counts.no_mask).to.equal(1);
  });

  it('ignores faces of tracks that are never confirmed', () => {
    const tally = new ComplianceTally({ minVotes: 1, minScore: 0.6 });
    for (let i = 0; i < 5; i += 1) {
      tally.update({ frameIndex: i, tracks: [track(9, 'tentative')], faces: [face(9, 'mask')] });
    }
    const snap = tally.snapshot();
    expect(snap.counts.people).to.equal(0);
    expect(snap.skipped.unconfirmedFaces).to.equal(5);
    expect(snap.complianceRate).to.equal(null);
  });

  it('starts counting a track from the frame it is confirmed', () => {
    const tally = new ComplianceTally({ minVotes: 1, minScore: 0.6 });
    tally.update({ frameIndex: 3, tracks: [track(2, 'tentative')], faces: [face(2, 'no_mask')] });
    tally.update({ frameIndex: 4, tracks: [track(2)], faces: [face(2, 'mask')] });
    const [person] = tally.snapshot().people;
    expect(person.firstFrame).to.equal(4);
    expect(person.verdict).to.equal('mask');
  });

  it('forgets everything on reset', () => {
    const tally = new ComplianceTally();
    feed(tally, 5, [[1, 'mask']]);
    tally.reset();
    const snap = tally.snapshot();
    expect(snap.frames).to.equal(0);
    expect(snap.people).to.deep.equal([]);
    expect(snap.counts.people).to.equal(0);
  });

  it('counts malformed entries instead of letting them corrupt the counts', () => {
    const tally = new ComplianceTally({ minVotes: 1, minScore: 0.6 });
    const badFace = { trackId: 'x' } as unknown as FaceCrop;
    tally.update({ frameIndex: 0, tracks: [track(1)], faces: [badFace, face(1, 'mask')] });
    const snap = tally.snapshot();
    expect(snap.skipped.malformed).to.equal(1);
    expect(snap.counts).to.deep.equal({ people: 1, mask: 1, no_mask: 0, incorrect: 0, unknown: 0 });
  });
});
