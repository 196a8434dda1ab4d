/**
 * The counter's cost per frame: `update` (votes, zones, retiring, report periods, the alert) and
 * `snapshot` (every window) for a camera with N people in view, over a simulated hour of 10 fps
 * video in which people come and go, with and without include zones.
 */
import { CameraCompliance, type CameraFrame } from '../core/camera-compliance';
import type { Track } from '../core/types';
import { parseZones } from '../core/zones';
import { loadAverage, markdownTable, timeRuns, type BenchModule } from './bench-kit';

/** About the rate the whole chain analyses on a 2-core CPU (see the pipeline benchmark). */
const FPS = 3;
const FRAMES = 3600 * FPS; // one hour
/** Each person stays this many frames (30 s), then a new track id takes their place. */
const STAY_FRAMES = 30 * FPS;
const T0 = Date.UTC(2024, 2, 1, 9);
const ZONES = parseZones([
  {
    name: 'left',
    points: [
      [0, 0],
      [0.5, 0],
      [0.5, 1],
      [0, 1],
    ],
  },
  {
    name: 'right',
    points: [
      [0.5, 0],
      [1, 0],
      [1, 1],
      [0.5, 1],
    ],
  },
  {
    name: 'desk',
    kind: 'exclude',
    points: [
      [0.9, 0],
      [1, 0],
      [1, 0.2],
      [0.9, 0.2],
    ],
  },
]);

function frameAt(i: number, people: number): CameraFrame {
  const tracks: Track[] = [];
  for (let p = 0; p < people; p += 1) {
    const id = p * 1_000_000 + Math.floor(i / STAY_FRAMES);
    const cx = ((p + 0.5) / people) * 640;
    const box = { x1: cx - 20, y1: 100, x2: cx + 20, y2: 300 };
    tracks.push({ id, box, velocity: { x: 0, y: 0 }, state: 'confirmed', age: 9, hits: 9 });
  }
  const faces = tracks.map((t, p) => ({
    trackId: t.id,
    box: t.box,
    view: 'frontal' as const,
    verdict: { label: p % 4 === 0 ? ('no_mask' as const) : ('mask' as const), score: 0.9 },
  }));
  return {
    timestampMs: T0 + (i * 1000) / FPS,
    frameIndex: i,
    tracks,
    faces,
    frameWidth: 640,
    frameHeight: 360,
  };
}

async function measure(people: number, zoned: boolean) {
  let cam: CameraCompliance;
  const timing = await timeRuns(
    () => {
      cam = new CameraCompliance({
        vote: { minVotes: 3, minScore: 0.6 },
        zones: zoned ? ZONES : [],
        rollingMs: 15 * 60_000,
        retireAfterMs: 60_000,
        timeZone: 'Europe/Paris',
        reportMinutes: 60,
        alert: {
          aboveFraction: 0.3,
          minPeople: 5,
          cooldownMs: 15 * 60_000,
          hysteresisFraction: 0.1,
        },
        keepFaces: false,
      });
      for (let i = 0; i < FRAMES; i += 1) {
        cam.update(frameAt(i, people));
        cam.snapshot();
      }
    },
    1,
    0,
  );
  const stored = JSON.stringify(cam!.toState()).length;
  return [people, zoned ? 'yes' : 'no', ((timing.medianMs * 1000) / FRAMES).toFixed(1), stored];
}

const bench: BenchModule = {
  description: `compliance core: update + snapshot per frame, one simulated hour at ${FPS} fps`,
  async run() {
    const rows = [];
    for (const people of [1, 6, 20]) {
      for (const zoned of [false, true]) rows.push(await measure(people, zoned));
    }
    console.log(markdownTable(['people in view', 'zones', 'µs / frame', 'stored bytes'], rows));
    console.log(`\nload average: ${loadAverage()}`);
  },
};

export = bench;
