import { expect } from 'chai';
import {
  CameraCompliance,
  isCameraState,
  type CameraComplianceOptions,
  type CameraFrame,
} from '../../src/core/camera-compliance';
import type { FaceCrop, Track, TrackState, VerdictLabel } from '../../src/core/types';
import { parseZones } from '../../src/core/zones';

const SEC = 1000;
const MIN = 60 * SEC;
/** 10:00 UTC on 1 March 2024: the calendar tests read hours from here. */
const T0 = Date.UTC(2024, 2, 1, 10);
const FPS = 10;
const W = 640;
const H = 360;

function options(over: Partial<CameraComplianceOptions> = {}): CameraComplianceOptions {
  return {
    vote: { minVotes: 3, minScore: 0.6 },
    zones: [],
    rollingMs: 15 * MIN,
    retireAfterMs: 60 * SEC,
    timeZone: 'UTC',
    reportMinutes: 60,
    keepFaces: false,
    ...over,
  };
}

/** A person standing at `xNorm` across the frame, feet at the bottom third. */
interface Walker {
  id: number;
  label?: VerdictLabel;
  score?: number;
  xNorm?: number;
  state?: TrackState;
}

function trackOf(w: Walker): Track {
  const cx = (w.xNorm ?? 0.5) * W;
  const box = { x1: cx - 20, y1: 100, x2: cx + 20, y2: 300 };
  return {
    id: w.id,
    box,
    velocity: { x: 0, y: 0 },
    state: w.state ?? 'confirmed',
    age: 9,
    hits: 9,
  };
}

function faceOf(w: Walker): FaceCrop {
  const box = { x1: 0, y1: 0, x2: 20, y2: 20 };
  if (!w.label) return { trackId: w.id, box, view: 'back', reason: 'face not visible' };
  const crop = { data: Buffer.alloc(12, w.id), width: 2, height: 2, channels: 3 };
  return {
    trackId: w.id,
    box,
    view: 'frontal',
    crop,
    verdict: { label: w.label, score: w.score ?? 0.9 },
  };
}

function frame(index: number, timestampMs: number, walkers: Walker[]): CameraFrame {
  return {
    timestampMs,
    frameIndex: index,
    tracks: walkers.map(trackOf),
    faces: walkers.map(faceOf),
    frameWidth: W,
    frameHeight: H,
  };
}

/** Feeds `count` frames at FPS from `startMs`; returns the index after the last. */
function feed(cam: CameraCompliance, startMs: number, count: number, walkers: Walker[]) {
  const outcomes = [];
  for (let i = 0; i < count; i += 1) {
    outcomes.push(cam.update(frame(i, startMs + (i * SEC) / FPS, walkers)));
  }
  return outcomes;
}

describe('camera-compliance', () => {
  it('counts a person seen for 200 frames once', () => {
    const cam = new CameraCompliance(options());
    feed(cam, T0, 200, [{ id: 7, label: 'mask' }]);
    const snap = cam.snapshot();
    expect(snap.frames).to.equal(200);
    expect(snap.counts).to.deep.equal({ people: 1, mask: 1, no_mask: 0, incorrect: 0, unknown: 0 });
    expect(snap.windows.rolling.counts.people).to.equal(1);
    expect(snap.windows.hour.counts.people).to.equal(1);
    expect(snap.people[0]).to.include({ trackId: 7, firstFrame: 0, lastFrame: 199 });
    expect(snap.people[0].lastSeenMs - snap.people[0].firstSeenMs).to.equal(19_900);
  });

  it('settles a flickering verdict to the majority', () => {
    const cam = new CameraCompliance(options());
    const labels: VerdictLabel[] = [
      'mask',
      'no_mask',
      'mask',
      'unknown',
      'mask',
      'no_mask',
      'mask',
    ];
    labels.forEach((label, i) => cam.update(frame(i, T0 + i * SEC, [{ id: 1, label }])));
    const [person] = cam.snapshot().people;
    expect(person.verdict).to.equal('mask');
    expect(person.votes).to.deep.equal({ mask: 4, no_mask: 2, incorrect: 0, unknown: 1 });
  });

  it('keeps a person whose face is never visible unknown, out of the rate', () => {
    const cam = new CameraCompliance(options());
    feed(cam, T0, 50, [{ id: 1 }, { id: 2, label: 'mask' }]);
    const snap = cam.snapshot();
    expect(snap.counts).to.deep.equal({ people: 2, mask: 1, no_mask: 0, incorrect: 0, unknown: 1 });
    expect(snap.complianceRate).to.equal(1);
    expect(snap.windows.rolling.unmaskedFraction).to.equal(0);
  });

  it('keeps its counts through a store and a restart in the middle of a window', () => {
    const cam = new CameraCompliance(options());
    feed(cam, T0, 30, [
      { id: 1, label: 'mask' },
      { id: 2, label: 'no_mask' },
    ]);
    cam.addOutage(T0 + 5 * MIN, T0 + 6 * MIN);
    const before = cam.snapshot();
    const stored = JSON.parse(JSON.stringify(cam.toState())) as unknown;
    expect(isCameraState(stored)).to.equal(true);
    if (!isCameraState(stored)) return;
    const resumed = CameraCompliance.fromState(options(), stored);
    const after = resumed.snapshot();
    expect(after.counts).to.deep.equal(before.counts);
    expect(after.windows.rolling.counts).to.deep.equal(before.windows.rolling.counts);
    expect(after.windows.hour.counts).to.deep.equal(before.windows.hour.counts);
    expect(after.frames).to.equal(30);
    expect(after.people).to.deep.equal([]); // in view before, retired: the tracker renumbers
    // The tracker restarts its ids at 1: a new person 1 is a new person, not the old one.
    feed(resumed, T0 + 10 * SEC, 5, [{ id: 1, label: 'mask' }]);
    expect(resumed.snapshot().counts).to.include({ people: 3, mask: 2, no_mask: 1 });
    expect(resumed.snapshot().blind.outages).to.equal(1);
  });

  it('raises an alert once when the rule holds, not again within the cooldown', () => {
    const alert = {
      aboveFraction: 0.3,
      minPeople: 4,
      cooldownMs: 10 * MIN,
      hysteresisFraction: 0.1,
    };
    const cam = new CameraCompliance(options({ alert, keepFaces: true }));
    const crowd: Walker[] = [
      { id: 1, label: 'mask' },
      { id: 2, label: 'no_mask', score: 0.8 },
      { id: 3, label: 'no_mask' },
      { id: 4, label: 'mask' },
    ];
    const outcomes = feed(cam, T0, 100, crowd);
    const alerts = outcomes.filter((o) => o.alert).map((o) => o.alert!);
    expect(alerts).to.have.length(1);
    const [first] = alerts;
    expect(first.transition).to.equal('alert');
    expect(first.window.counts).to.include({ people: 4, mask: 2, no_mask: 2 });
    expect(first.window.unmaskedFraction).to.equal(0.5);
    expect(first.violators.map((v) => [v.trackId, v.verdict])).to.deep.equal([
      [2, 'no_mask'],
      [3, 'no_mask'],
    ]);
    expect(first.violators[0].face?.data[0]).to.equal(2);
    // They leave, everyone after is masked: the alert clears; a new bad spell within the
    // cooldown stays silent.
    const later = T0 + 3 * MIN;
    const masked = [10, 11, 12, 13, 14, 15, 16, 17].map((id) => ({ id, label: 'mask' as const }));
    const cleared = feed(cam, later, 30, masked).filter((o) => o.alert);
    expect(cleared.map((o) => o.alert!.transition)).to.deep.equal(['clear']);
    const bad = [20, 21, 22, 23, 24, 25, 26, 27, 28].map((id) => ({
      id,
      label: 'no_mask' as const,
    }));
    const quiet = feed(cam, T0 + 5 * MIN, 30, bad).filter((o) => o.alert);
    expect(quiet).to.deep.equal([]);
  });

  it('leaves face crops out of alerts unless faces are kept', () => {
    const alert = { aboveFraction: 0.3, minPeople: 1, cooldownMs: MIN, hysteresisFraction: 0.1 };
    const cam = new CameraCompliance(options({ alert }));
    const [raised] = feed(cam, T0, 5, [{ id: 1, label: 'no_mask' }]).filter((o) => o.alert);
    expect(raised.alert!.violators).to.deep.equal([
      { trackId: 1, verdict: 'no_mask', firstSeenMs: T0, lastSeenMs: T0 + 200 },
    ]);
    expect(JSON.stringify(cam.toState())).not.to.include('"data"');
  });

  it('drops people from the rolling window once they were last seen before it', () => {
    const cam = new CameraCompliance(options({ rollingMs: 5 * MIN }));
    feed(cam, T0, 10, [{ id: 1, label: 'mask' }]);
    feed(cam, T0 + 4 * MIN, 10, [{ id: 2, label: 'no_mask' }]);
    expect(cam.snapshot().windows.rolling.counts.people).to.equal(2);
    feed(cam, T0 + 6 * MIN, 10, [{ id: 3, label: 'mask' }]);
    const snap = cam.snapshot();
    expect(snap.windows.rolling.counts).to.include({ people: 2, no_mask: 1, mask: 1 });
    expect(snap.counts.people).to.equal(3);
    expect(snap.people.map((p) => p.trackId)).to.deep.equal([3]); // 1 and 2 retired
  });

  it('files people under the hour and day they were first seen, and reports each hour once', () => {
    const cam = new CameraCompliance(options());
    const first = feed(cam, T0 + 50 * MIN, 10, [{ id: 1, label: 'mask' }]);
    const second = feed(cam, T0 + 70 * MIN, 10, [{ id: 2, label: 'no_mask' }]);
    expect(first.flatMap((o) => o.reports)).to.deep.equal([]);
    const reports = second.flatMap((o) => o.reports);
    expect(reports).to.have.length(1);
    expect(reports[0]).to.include({ startMs: T0, endMs: T0 + 60 * MIN, label: '2024-03-01T10:00' });
    expect(reports[0].counts).to.include({ people: 1, mask: 1 });
    expect(reports[0].partial).to.equal(false);
    const snap = cam.snapshot();
    expect(snap.windows.hour.counts).to.include({ people: 1, no_mask: 1 });
    expect(snap.windows.day.counts).to.include({ people: 2, mask: 1, no_mask: 1 });
    const flushed = cam.flush()!;
    expect(flushed).to.include({ startMs: T0 + 60 * MIN, partial: true });
    expect(flushed.counts.people).to.equal(1);
  });

  it('counts only people inside include zones, per zone, and ignores exclude zones', () => {
    const zones = parseZones([
      {
        name: 'door',
        points: [
          [0, 0],
          [0.5, 0],
          [0.5, 1],
          [0, 1],
        ],
      },
      {
        name: 'desk',
        kind: 'exclude',
        points: [
          [0.8, 0],
          [1, 0],
          [1, 1],
          [0.8, 1],
        ],
      },
    ]);
    const cam = new CameraCompliance(options({ zones }));
    feed(cam, T0, 10, [
      { id: 1, label: 'mask', xNorm: 0.25 },
      { id: 2, label: 'no_mask', xNorm: 0.65 },
      { id: 3, label: 'no_mask', xNorm: 0.9 },
    ]);
    const snap = cam.snapshot();
    expect(snap.counts).to.include({ people: 1, mask: 1, no_mask: 0 });
    expect(snap.zones).to.deep.equal({
      door: { people: 1, mask: 1, no_mask: 0, incorrect: 0, unknown: 0 },
    });
    expect(snap.skipped.outsideZones).to.equal(20);
    expect(snap.skipped.unconfirmedFaces).to.equal(20);
    expect(() => cam.update({ ...frame(11, T0 + 2 * SEC, [{ id: 1 }]), frameWidth: 0 })).to.throw(
      RangeError,
      /msg\.frame\.width and height must be positive to place tracks in zones/,
    );
  });

  it('subtracts blind intervals from the observed time of a window', () => {
    const cam = new CameraCompliance(options({ rollingMs: 10 * MIN }));
    feed(cam, T0, 1, [{ id: 1, label: 'mask' }]);
    cam.update(frame(1, T0 + 10 * MIN, [{ id: 2, label: 'mask' }]));
    expect(cam.addOutage(T0 + 2 * MIN, T0 + 6 * MIN)).to.equal(true);
    const rolling = cam.snapshot().windows.rolling;
    expect(rolling).to.include({ blindMs: 4 * MIN, observedMs: 6 * MIN, outages: 1 });
    expect(rolling.peoplePerHour).to.be.closeTo(2 / 0.1, 1e-9);
    expect(cam.snapshot().blind).to.deep.equal({ outages: 1, blindMs: 4 * MIN });
  });

  it('skips faces with unknown labels and of unconfirmed tracks, counting what it skipped', () => {
    const cam = new CameraCompliance(options());
    const odd: FaceCrop = {
      trackId: 1,
      box: { x1: 0, y1: 0, x2: 1, y2: 1 },
      view: 'frontal',
      verdict: { label: 'maybe' as VerdictLabel, score: 0.9 },
    };
    for (let i = 0; i < 5; i += 1) {
      const f = frame(i, T0 + i * SEC, [
        { id: 1, label: 'mask' },
        { id: 2, label: 'mask', state: 'tentative' },
      ]);
      cam.update({ ...f, faces: [...f.faces, odd] });
    }
    const snap = cam.snapshot();
    expect(snap.counts).to.include({ people: 1, mask: 1 });
    expect(snap.people[0].votes.mask).to.equal(5);
    expect(snap.skipped).to.include({ unknownLabels: 5, unconfirmedFaces: 5 });
  });

  it('counts malformed tracks and faces instead of letting them corrupt the counts', () => {
    const cam = new CameraCompliance(options({ vote: { minVotes: 1, minScore: 0.6 } }));
    const f = frame(0, T0, [{ id: 1, label: 'mask' }]);
    const badFace = { trackId: 'x' } as unknown as FaceCrop;
    const badTrack = { id: null } as unknown as Track;
    cam.update({ ...f, tracks: [...f.tracks, badTrack], faces: [badFace, ...f.faces] });
    const snap = cam.snapshot();
    expect(snap.skipped.malformed).to.equal(2);
    expect(snap.counts).to.deep.equal({ people: 1, mask: 1, no_mask: 0, incorrect: 0, unknown: 0 });
  });

  it('hands out the final record of each person who left, once', () => {
    const cam = new CameraCompliance(options({ retireAfterMs: 2 * SEC }));
    feed(cam, T0, 10, [{ id: 4, label: 'no_mask' }]);
    const gone = cam.update(frame(10, T0 + 5 * SEC, []));
    expect(gone.departed.map((p) => [p.trackId, p.verdict, p.votes.no_mask])).to.deep.equal([
      [4, 'no_mask', 10],
    ]);
    expect(cam.update(frame(11, T0 + 6 * SEC, [])).departed).to.deep.equal([]);
  });
});
