import { expect } from 'chai';
import { iou, type BoxXYXY } from '../../src/core/box';
import {
  DEFAULT_TRACKER_OPTIONS,
  type Detection,
  poseToDetection,
  Tracker,
  type TrackerOptions,
  validateTrackerOptions,
} from '../../src/core/tracker';
import type { Pose, Track } from '../../src/core/types';

/** A person walking at constant velocity; `visible(frame)` says whether the pose stage saw them. */
interface Walker {
  cx: number;
  cy: number;
  vx: number;
  vy: number;
  w: number;
  h: number;
  score?: number;
  visible?: (frame: number) => boolean;
}

function truthBox(walker: Walker, frame: number): BoxXYXY {
  const cx = walker.cx + walker.vx * frame;
  const cy = walker.cy + walker.vy * frame;
  return {
    x1: cx - walker.w / 2,
    y1: cy - walker.h / 2,
    x2: cx + walker.w / 2,
    y2: cy + walker.h / 2,
  };
}

function pose(box: BoxXYXY, score: number): Pose {
  const nose = { name: 'nose' as const, x: (box.x1 + box.x2) / 2, y: box.y1 + 5, score };
  return { keypoints: [nose], score, box };
}

/** Which walker each detection's pose belongs to: the ground truth of every scene. */
const walkerOfPose = new WeakMap<Pose, number>();

function detectionsAt(walkers: Walker[], frame: number): Detection[] {
  const dets: Detection[] = [];
  walkers.forEach((w, i) => {
    if (w.visible !== undefined && !w.visible(frame)) return;
    const p = pose(truthBox(w, frame), w.score ?? 0.9);
    walkerOfPose.set(p, i);
    dets.push(poseToDetection(p));
  });
  return dets;
}

/**
 * Runs a scene and returns, per walker, the ids of the tracks its detections were matched to
 * (read from the pose each track carries), plus every frame's output.
 */
function runScene(walkers: Walker[], frames: number, options: Partial<TrackerOptions> = {}) {
  const tracker = new Tracker(options);
  const idsOf = walkers.map(() => new Set<number>());
  const outputs: Track[][] = [];
  for (let f = 0; f < frames; f += 1) {
    const tracks = tracker.update(detectionsAt(walkers, f), f);
    outputs.push(tracks);
    for (const t of tracks) {
      const walker = t.pose === undefined ? undefined : walkerOfPose.get(t.pose);
      if (walker !== undefined) idsOf[walker].add(t.id);
    }
  }
  return { tracker, idsOf, outputs };
}

const WALKER: Walker = { cx: 100, cy: 200, vx: 3, vy: 0.5, w: 40, h: 100 };

describe('Tracker', () => {
  for (const gap of [5, 10, 15]) {
    it(`keeps the id of a walker hidden for ${gap} frames when maxAgeFrames is ${gap}`, () => {
      const hidden = (f: number) => f < 20 || f >= 20 + gap;
      const { idsOf, outputs } = runScene([{ ...WALKER, visible: hidden }], 40, {
        maxAgeFrames: gap,
      });
      expect([...idsOf[0]]).to.deep.equal([1]);
      expect(outputs[20 + gap - 1].map((t) => t.state)).to.deep.equal(['lost']);
      expect(outputs[39].map((t) => [t.id, t.state])).to.deep.equal([[1, 'confirmed']]);
    });
  }

  it('gives a new id when the walker is hidden for longer than maxAgeFrames', () => {
    const hidden = (f: number) => f < 20 || f >= 31;
    const { idsOf, outputs } = runScene([{ ...WALKER, visible: hidden }], 40, { maxAgeFrames: 10 });
    expect([...idsOf[0]]).to.deep.equal([1, 2]);
    expect(outputs[30]).to.deep.equal([]);
  });

  it('keeps the ids of two walkers crossing each other', () => {
    const a: Walker = { cx: 100, cy: 200, vx: 4, vy: 0, w: 40, h: 100 };
    const b: Walker = { cx: 300, cy: 200, vx: -4, vy: 0, w: 40, h: 100 }; // same height: only velocity tells them apart
    const { idsOf } = runScene([a, b], 50); // they meet at frame 25
    expect([...idsOf[0]]).to.deep.equal([1]);
    expect([...idsOf[1]]).to.deep.equal([2]);
  });

  it('does not swap a person standing still with one who walks past in front', () => {
    const standing: Walker = { cx: 300, cy: 200, vx: 0, vy: 0, w: 40, h: 100 };
    // The passer is nearer the camera (larger, a little lower) and hides the standing person
    // while their boxes overlap by more than half; the pose stage then sees the passer only.
    const passer: Walker = { cx: 100, cy: 215, vx: 5, vy: 0, w: 48, h: 120 };
    const hiddenWhilePassed = (f: number) => iou(truthBox(standing, f), truthBox(passer, f)) < 0.3;
    const { idsOf } = runScene([{ ...standing, visible: hiddenWhilePassed }, passer], 80);
    expect([...idsOf[0]]).to.deep.equal([1]);
    expect([...idsOf[1]]).to.deep.equal([2]);
  });

  it('gives a person who leaves and comes back much later a new id (documented policy)', () => {
    // Walks out on the right at frame 30, comes back in the same place at frame 80.
    const away = (f: number) => f < 30 || f >= 80;
    const { idsOf, outputs } = runScene([{ ...WALKER, visible: away }], 100);
    expect([...idsOf[0]]).to.deep.equal([1, 2]);
    expect(outputs[70]).to.deep.equal([]); // track 1 was removed after maxAgeFrames
  });

  it('keeps the ids of two crossing walkers when the one behind is only weakly detected', () => {
    const front: Walker = { cx: 100, cy: 200, vx: 4, vy: 0, w: 40, h: 100 };
    const behind: Walker = { cx: 300, cy: 190, vx: -4, vy: 0, w: 40, h: 100 };
    const weakWhileBehind = (f: number) => (f >= 20 && f <= 30 ? 0.15 : 0.9);
    const tracker = new Tracker();
    const ids = [new Set<number>(), new Set<number>()];
    for (let f = 0; f < 50; f += 1) {
      const dets = detectionsAt([front, behind], f);
      dets[1] = { ...dets[1], score: weakWhileBehind(f) };
      const tracks = tracker.update(dets, f);
      for (const t of tracks) ids[walkerOfPose.get(t.pose as Pose) as number].add(t.id);
      if (f >= 2) expect(tracks.map((t) => t.state)).to.deep.equal(['confirmed', 'confirmed']);
    }
    expect(ids.map((s) => [...s])).to.deep.equal([[1], [2]]);
  });

  it('creates no new tracks when a walker is detected only every other frame', () => {
    const { idsOf, tracker, outputs } = runScene([{ ...WALKER, visible: (f) => f % 2 === 0 }], 40);
    expect([...idsOf[0]]).to.deep.equal([1]);
    expect(tracker.nextTrackId).to.equal(2);
    expect(outputs[38].map((t) => [t.id, t.state])).to.deep.equal([[1, 'confirmed']]);
  });

  it('creates no new tracks when every other frame has no detections at all', () => {
    const walkers = [WALKER, { ...WALKER, cx: 400, vx: -2 }];
    const tracker = new Tracker();
    for (let f = 0; f < 40; f += 1) tracker.update(f % 2 === 0 ? detectionsAt(walkers, f) : [], f);
    expect(tracker.nextTrackId).to.equal(3);
  });

  it('never confirms a single false detection and forgets it within maxTentativeMissFrames', () => {
    const tracker = new Tracker();
    const states: string[] = [];
    for (let f = 0; f < 30; f += 1) {
      const dets = detectionsAt([WALKER], f);
      if (f === 10) dets.push({ box: { x1: 500, y1: 50, x2: 530, y2: 120 }, score: 0.95 });
      const tracks = tracker.update(dets, f);
      for (const t of tracks) if (t.id !== 1) states.push(`${f}:${t.state}`);
    }
    expect(states).to.deep.equal(['10:tentative']);
    expect(tracker.nextTrackId).to.equal(3);
  });

  it('never reuses an id after its track was removed', () => {
    const tracker = new Tracker({ maxAgeFrames: 3 });
    const seen: number[] = [];
    // Three people in turn at the same place, each gone long enough for their track to die.
    for (let f = 0; f < 60; f += 1) {
      const present = f % 20 < 10;
      const tracks = tracker.update(present ? [{ box: truthBox(WALKER, 0), score: 0.9 }] : [], f);
      for (const t of tracks) if (!seen.includes(t.id)) seen.push(t.id);
      if (!present && f % 20 === 19) expect(tracks).to.deep.equal([]);
    }
    expect(seen).to.deep.equal([1, 2, 3]);
  });

  it('starts ids at 1 in each tracker instance', () => {
    const first = new Tracker({ minHits: 1 }).update([{ box: truthBox(WALKER, 0), score: 1 }], 0);
    const second = new Tracker({ minHits: 1 }).update([{ box: truthBox(WALKER, 0), score: 1 }], 7);
    expect(first.map((t) => t.id)).to.deep.equal([1]);
    expect(second.map((t) => t.id)).to.deep.equal([1]);
  });

  it('skips and counts NaN, zero-size, negative-size and boxless detections without touching tracks', () => {
    const clean = new Tracker();
    const dirty = new Tracker();
    const bad = [
      { box: { x1: Number.NaN, y1: 0, x2: 10, y2: 10 }, score: 0.9 },
      { box: { x1: 100, y1: 200, x2: 100, y2: 260 }, score: 0.9 },
      { box: { x1: 100, y1: 200, x2: 90, y2: 260 }, score: 0.9 },
      { box: truthBox(WALKER, 0), score: Number.NaN },
      { score: 0.9 } as unknown as Detection,
      null as unknown as Detection,
    ];
    let cleanTracks: Track[] = [];
    let dirtyTracks: Track[] = [];
    for (let f = 0; f < 10; f += 1) {
      cleanTracks = clean.update(detectionsAt([WALKER], f), f);
      dirtyTracks = dirty.update([...bad, ...detectionsAt([WALKER], f)], f);
      expect(dirty.lastStats?.skippedDetections).to.equal(bad.length);
    }
    expect(dirtyTracks).to.deep.equal(cleanTracks);
    expect(dirty.totalSkippedDetections).to.equal(10 * bad.length);
    expect(clean.totalSkippedDetections).to.equal(0);
  });

  it('rejects a frame index that does not increase, and goes on afterwards', () => {
    const tracker = new Tracker();
    tracker.update(detectionsAt([WALKER], 5), 5);
    expect(() => tracker.update([], 5)).to.throw(RangeError, 'got 5 after 5');
    expect(() => tracker.update([], 3)).to.throw(RangeError, 'got 3 after 5');
    expect(() => tracker.update([], 6.5)).to.throw(RangeError, 'frameIndex must be an integer');
    expect(tracker.lastFrameIndex).to.equal(5);
    expect(tracker.update(detectionsAt([WALKER], 6), 6).map((t) => t.hits)).to.deep.equal([2]);
  });

  it('treats a gap in frame indices as elapsed time, so a fast walker keeps its id across it', () => {
    const fast: Walker = { ...WALKER, vx: 8 }; // in 5 frames it moves 40 px, a full box width
    const run = (frames: number[]) => {
      const tracker = new Tracker();
      let last: Track[] = [];
      for (const f of frames) last = tracker.update(detectionsAt([fast], f), f);
      return last;
    };
    const frames = [...Array.from({ length: 15 }, (_, i) => i), 20];
    expect(run(frames).map((t) => [t.id, t.state])).to.deep.equal([[1, 'confirmed']]);
  });

  it('lets a weak detection continue a confirmed track but never start one', () => {
    const tracker = new Tracker();
    for (let f = 0; f < 5; f += 1) tracker.update(detectionsAt([WALKER], f), f);
    // Between lowScore (0.1) and highScore (0.2): second-stage only.
    const weak = { box: truthBox(WALKER, 5), score: 0.15 };
    const loner = { box: { x1: 500, y1: 50, x2: 540, y2: 150 }, score: 0.15 };
    const tracks = tracker.update([weak, loner], 5);
    expect(tracks.map((t) => [t.id, t.state, t.hits])).to.deep.equal([[1, 'confirmed', 6]]);
    expect(tracker.nextTrackId).to.equal(2);
  });

  it('ignores detections below lowScore', () => {
    const tracker = new Tracker();
    for (let f = 0; f < 5; f += 1) tracker.update(detectionsAt([WALKER], f), f);
    const tracks = tracker.update([{ box: truthBox(WALKER, 5), score: 0.05 }], 5);
    expect(tracks.map((t) => t.state)).to.deep.equal(['lost']);
    expect(tracker.lastStats?.ignoredLowScore).to.equal(1);
  });

  it('hands on the matched pose, and reports lost tracks with their predicted box and no pose', () => {
    const tracker = new Tracker();
    let tracks: Track[] = [];
    for (let f = 0; f < 10; f += 1) {
      const p = pose(truthBox(WALKER, f), 0.8);
      tracks = tracker.update([poseToDetection(p)], f);
      expect(tracks[0].pose).to.equal(p);
    }
    expect(tracks[0].velocity.x).to.be.closeTo(WALKER.vx, 0.5);
    for (let f = 10; f < 13; f += 1) tracks = tracker.update([], f);
    expect(tracks).to.have.length(1);
    expect(tracks[0].state).to.equal('lost');
    expect(tracks[0]).to.not.have.property('pose');
    const predicted = tracks[0].box;
    expect(iou(predicted, truthBox(WALKER, 12))).to.be.above(0.9);
    expect(tracks[0].age).to.equal(12);
    expect(tracks[0].hits).to.equal(10);
  });

  it('reports a tentative track only in frames where it was matched', () => {
    const tracker = new Tracker();
    const first = tracker.update(detectionsAt([WALKER], 0), 0);
    expect(first.map((t) => [t.id, t.state, t.hits, t.age])).to.deep.equal([
      [1, 'tentative', 1, 0],
    ]);
    expect(tracker.update([], 1)).to.deep.equal([]);
    const third = tracker.update(detectionsAt([WALKER], 2), 2);
    expect(third.map((t) => [t.id, t.state, t.hits])).to.deep.equal([[1, 'tentative', 2]]);
    const fourth = tracker.update(detectionsAt([WALKER], 3), 3);
    expect(fourth.map((t) => [t.id, t.state, t.hits])).to.deep.equal([[1, 'confirmed', 3]]);
  });

  it('builds a detection from a pose: its box and its score', () => {
    const p = pose({ x1: 1, y1: 2, x2: 30, y2: 80 }, 0.7);
    expect(poseToDetection(p)).to.deep.equal({ box: p.box, score: 0.7, pose: p });
  });

  it('validates its options, naming the field, the rule and the value', () => {
    expect(validateTrackerOptions({})).to.deep.equal({ ...DEFAULT_TRACKER_OPTIONS });
    expect(validateTrackerOptions({ minHits: '2', minIou: '0.5' })).to.include({
      minHits: 2,
      minIou: 0.5,
    });
    expect(() => new Tracker({ minHits: 0 })).to.throw(
      RangeError,
      'minHits must be an integer ≥ 1, got 0',
    );
    expect(() => new Tracker({ maxAgeFrames: 2.5 })).to.throw(RangeError, 'maxAgeFrames');
    expect(() => new Tracker({ minIou: 1.5 })).to.throw(
      RangeError,
      'minIou must be between 0 and 1',
    );
    expect(() => new Tracker({ highScore: 0.2, lowScore: 0.4 })).to.throw(
      RangeError,
      'lowScore must be ≤ highScore',
    );
  });
});
