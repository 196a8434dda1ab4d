import { expect } from 'chai';
import {
  DEFAULT_MIN_FACE_PX,
  FACE_HEIGHT_PER_WIDTH,
  FACE_WIDTH_PER_EAR_SPAN,
  FACE_WIDTH_PER_EYE_SPAN,
  FACE_WIDTH_PER_SHOULDER_SPAN,
  bodyTurn,
  faceBoxFromPose,
} from '../../src/core/face-box';
import { COCO17_KEYPOINTS, type KeypointName, type Pose } from '../../src/core/types';

const TOL = 1e-9;

/** A pose whose named keypoints are seen (score 0.9) and all others unseen (score 0). */
function pose(seen: Partial<Record<KeypointName, [number, number]>>, score = 0.9): Pose {
  return {
    score: 0.9,
    box: { x1: 100, y1: 50, x2: 200, y2: 400 },
    keypoints: COCO17_KEYPOINTS.map((name) => {
      const at = seen[name];
      return at ? { name, x: at[0], y: at[1], score } : { name, x: 0, y: 0, score: 0 };
    }),
  };
}

/** A walker facing the camera: eyes 20 px apart, head centred on x = 150. */
const FRONTAL = {
  nose: [150, 110],
  left_eye: [160, 100],
  right_eye: [140, 100],
  left_ear: [170, 103],
  right_ear: [130, 103],
  left_shoulder: [180, 160],
  right_shoulder: [120, 160],
} satisfies Partial<Record<KeypointName, [number, number]>>;

function contains(box: { x1: number; y1: number; x2: number; y2: number }, [x, y]: number[]) {
  return x >= box.x1 && x <= box.x2 && y >= box.y1 && y <= box.y2;
}

describe('face-box', () => {
  it('calls a face with nose and both eyes frontal, and crops it', () => {
    const face = faceBoxFromPose(pose(FRONTAL), 640, 480);
    expect(face.view).to.equal('frontal');
    expect(face.reason).to.equal(undefined);
  });

  it('sizes a frontal face from the widest head span and centres it between the ears', () => {
    const face = faceBoxFromPose(pose(FRONTAL), 640, 480);
    const width = Math.max(40 * FACE_WIDTH_PER_EAR_SPAN, 20 * FACE_WIDTH_PER_EYE_SPAN);
    expect(face.box.x2 - face.box.x1).to.be.closeTo(width, TOL);
    expect(face.box.y2 - face.box.y1).to.be.closeTo(width * FACE_HEIGHT_PER_WIDTH, TOL);
    expect((face.box.x1 + face.box.x2) / 2).to.be.closeTo(150, TOL);
  });

  it('holds the nose and eyes and reaches well below the nose, to the chin a mask covers', () => {
    const face = faceBoxFromPose(pose(FRONTAL), 640, 480);
    for (const point of [FRONTAL.nose, FRONTAL.left_eye, FRONTAL.right_eye]) {
      expect(contains(face.box, point), `contains ${point}`).to.equal(true);
    }
    // The chin is about as far below the nose as the eye span; the box must reach past it.
    expect(face.box.y2 - FRONTAL.nose[1]).to.be.greaterThan(20 * 1.5);
    expect(face.box.y2).to.be.lessThan(FRONTAL.left_shoulder[1]);
  });

  it('is square or slightly taller', () => {
    const face = faceBoxFromPose(pose(FRONTAL), 640, 480);
    const ratio = (face.box.y2 - face.box.y1) / (face.box.x2 - face.box.x1);
    expect(ratio).to.be.within(1, 1.4);
  });

  it('calls nose and one eye a profile and keeps the nose inside the box', () => {
    const face = faceBoxFromPose(pose({ nose: [150, 110], left_eye: [158, 100] }), 640, 480);
    expect(face.view).to.equal('profile');
    expect(face.reason).to.equal(undefined);
    expect(contains(face.box, [150, 110])).to.equal(true);
  });

  it('calls one eye and the ear on the same side a profile', () => {
    const face = faceBoxFromPose(pose({ right_eye: [140, 100], right_ear: [160, 104] }), 640, 480);
    expect(face.view).to.equal('profile');
    expect(contains(face.box, [140, 100])).to.equal(true);
    expect(contains(face.box, [160, 104])).to.equal(true);
  });

  it('calls a head with neither nose nor eyes a back view, not visible', () => {
    const back = pose({ left_ear: [165, 103], right_ear: [135, 103], left_shoulder: [180, 160] });
    const face = faceBoxFromPose(back, 640, 480);
    expect(face.view).to.equal('back');
    expect(face.reason).to.equal('face not visible');
    expect(contains(face.box, [150, 103])).to.equal(true);
  });

  it('calls a head whose shoulders show the person facing away a back view, eyes or not', () => {
    // Facing away: the body's left shoulder is on the image's left. Pose models still put eyes
    // and a nose on the back of a head.
    const away = {
      ...FRONTAL,
      left_shoulder: FRONTAL.right_shoulder,
      right_shoulder: FRONTAL.left_shoulder,
    };
    const face = faceBoxFromPose(pose(away), 640, 480);
    expect([face.view, face.reason]).to.deep.equal(['back', 'face not visible']);
  });

  it('keeps a side-on body with a seen face as a face, and reads the turn from the shoulders', () => {
    const sideOn = {
      ...FRONTAL,
      left_shoulder: [150, 160] as [number, number],
      right_shoulder: [151, 185] as [number, number],
    };
    expect(faceBoxFromPose(pose(sideOn), 640, 480).view).to.equal('frontal');
    const seen = (p: Pose) => Object.fromEntries(p.keypoints.map((k) => [k.name, k]));
    expect(bodyTurn(seen(pose(FRONTAL)))).to.be.closeTo(1, TOL);
    expect(bodyTurn(seen(pose({ nose: [1, 1] })))).to.equal(undefined);
  });

  it('treats keypoints under the minimum score as not seen', () => {
    const weak = pose(FRONTAL, 0.2);
    expect(faceBoxFromPose(weak, 640, 480, { minKeypointScore: 0.3 }).view).to.equal('back');
    expect(faceBoxFromPose(weak, 640, 480, { minKeypointScore: 0.1 }).view).to.equal('frontal');
  });

  it('takes the scale from the shoulders when no head pair is seen', () => {
    const face = faceBoxFromPose(
      pose({ nose: [150, 110], left_shoulder: [180, 160], right_shoulder: [120, 160] }),
      640,
      480,
    );
    expect(face.view).to.equal('profile');
    expect(face.box.x2 - face.box.x1).to.be.closeTo(60 * FACE_WIDTH_PER_SHOULDER_SPAN, TOL);
  });

  it('gates a face narrower than the minimum as too small, and passes it at the minimum', () => {
    // Eyes 4 px apart: a face about 10 px wide, a far-away walker.
    const far = pose({ nose: [300, 102], left_eye: [302, 100], right_eye: [298, 100] });
    const small = faceBoxFromPose(far, 640, 480);
    expect(small.box.x2 - small.box.x1).to.be.lessThan(DEFAULT_MIN_FACE_PX);
    expect(small.reason).to.equal('too small');
    const side = small.box.x2 - small.box.x1;
    expect(faceBoxFromPose(far, 640, 480, { minFacePx: side }).reason).to.equal(undefined);
  });

  it('clips a face at the frame edge to the frame', () => {
    const edge = pose({ nose: [2, 10], left_eye: [12, 2], right_eye: [-8, 2] });
    const face = faceBoxFromPose(edge, 640, 480);
    expect(face.box.x1).to.equal(0);
    expect(face.box.y1).to.equal(0);
    expect(face.box.x2).to.be.greaterThan(2);
    expect(face.box.y2).to.be.greaterThan(10);
  });

  it('reports a face entirely outside the frame as outside, not as a crop', () => {
    const outside = pose({ nose: [700, 110], left_eye: [710, 100], right_eye: [690, 100] });
    const face = faceBoxFromPose(outside, 640, 480);
    expect(face.reason).to.equal('outside frame');
    expect(face.box.x1).to.equal(640);
  });
});
