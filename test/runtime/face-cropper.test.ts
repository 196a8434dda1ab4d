import { expect } from 'chai';
import { cropFaces, cropPixels } from '../../src/runtime/face-cropper';
import { COCO17_KEYPOINTS, type Frame, type Track } from '../../src/core/types';

/** A frame whose pixel (x, y) is [x, y, (x * 7 + y * 3) mod 256]: every crop has known bytes. */
function patternFrame(width: number, height: number): Frame {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      data[i] = x;
      data[i + 1] = y;
      data[i + 2] = (x * 7 + y * 3) % 256;
    }
  }
  return { data, width, height, channels: 3, index: 0, timestampMs: 0, source: 'test' };
}

function expectedPattern(left: number, top: number, width: number, height: number): Buffer {
  const out = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      out[i] = left + x;
      out[i + 1] = top + y;
      out[i + 2] = ((left + x) * 7 + (top + y) * 3) % 256;
    }
  }
  return out;
}

function trackWithFace(id: number, eyeSpan: number, state: Track['state'] = 'confirmed'): Track {
  const seen: Record<string, [number, number]> = {
    nose: [100, 50 + eyeSpan / 2],
    left_eye: [100 + eyeSpan / 2, 50],
    right_eye: [100 - eyeSpan / 2, 50],
  };
  const keypoints = COCO17_KEYPOINTS.map((name) => {
    const at = seen[name];
    return at ? { name, x: at[0], y: at[1], score: 0.9 } : { name, x: 0, y: 0, score: 0 };
  });
  const box = { x1: 60, y1: 30, x2: 140, y2: 200 };
  const pose = { keypoints, score: 0.9, box };
  return { id, box, velocity: { x: 0, y: 0 }, state, age: 5, hits: 5, pose };
}

describe('face-cropper', () => {
  it('cuts exactly the pixels under a box, widened to whole pixels', async () => {
    const frame = patternFrame(64, 48);
    const crop = await cropPixels(frame, { x1: 10.3, y1: 5, x2: 20, y2: 17.6 });
    expect([crop.width, crop.height, crop.channels]).to.deep.equal([10, 13, 3]);
    expect(crop.data.equals(expectedPattern(10, 5, 10, 13))).to.equal(true);
  });

  it('leaves the frame buffer unchanged and shares no bytes with it', async () => {
    const frame = patternFrame(64, 48);
    const before = Buffer.from(frame.data);
    const crop = await cropPixels(frame, { x1: 0, y1: 0, x2: 8, y2: 8 });
    crop.data.fill(255);
    expect(frame.data.equals(before)).to.equal(true);
  });

  it('shrinks a face larger than the maximum side, keeping its aspect ratio', async () => {
    const frame = patternFrame(200, 200);
    const crop = await cropPixels(frame, { x1: 0, y1: 0, x2: 100, y2: 150 }, 60);
    expect([crop.width, crop.height]).to.deep.equal([40, 60]);
    expect(crop.data.length).to.equal(40 * 60 * 3);
  });

  it('crops confirmed tracks with a visible face and gates the rest without a crop', async () => {
    const frame = patternFrame(200, 200);
    const tracks = [
      trackWithFace(1, 20),
      trackWithFace(2, 2),
      trackWithFace(3, 20, 'tentative'),
      { ...trackWithFace(4, 20), pose: undefined },
    ];
    const faces = await cropFaces(frame, tracks);
    expect(faces.map((f) => [f.trackId, f.reason])).to.deep.equal([
      [1, undefined],
      [2, 'too small'],
    ]);
    const { box, crop } = faces[0];
    const left = Math.floor(box.x1);
    const top = Math.floor(box.y1);
    expect(crop!.data.equals(expectedPattern(left, top, crop!.width, crop!.height))).to.equal(true);
    expect(faces[1].crop).to.equal(undefined);
  });

  it('crops tentative tracks too when asked', async () => {
    const faces = await cropFaces(patternFrame(200, 200), [trackWithFace(3, 20, 'tentative')], {
      includeTentative: true,
    });
    expect(faces.map((f) => f.trackId)).to.deep.equal([3]);
    expect(faces[0].crop).to.not.equal(undefined);
  });
});
