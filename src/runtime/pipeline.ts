/**
 * The whole chain without Node-RED: the same stages the nodes wire together (video-source →
 * openpose → kalman-tracker → face-crop → mask-classifier → compliance-counter), called in order
 * on every frame of one video. The `maskwatch run` command and the end-to-end tests use it.
 */
import { performance } from 'node:perf_hooks';
import {
  CameraCompliance,
  DEFAULT_REPORT_MINUTES,
  DEFAULT_RETIRE_AFTER_MS,
  DEFAULT_ROLLING_MINUTES,
  type PersonRecord,
} from '../core/camera-compliance';
import type { ComplianceCounts, SkippedCounts } from '../core/compliance-counts';
import { poseToDetection, Tracker, type TrackerOptions } from '../core/tracker';
import { withMeasuredScores } from '../core/tracker-score-defaults';
import type { FaceCrop, Frame, Pose, Track } from '../core/types';
import { DEFAULT_VOTE_OPTIONS, type VoteOptions } from '../core/verdict-vote';
import { classifyFaces, type ClassifyFacesOptions } from './classify-faces';
import { cropFaces, type FaceCropperOptions } from './face-cropper';
import { openVideo } from './ffmpeg-frame-reader';
import { createMaskClassifierSession } from './mask-classifier-session';
import { createPoseSession, type PoseSessionOptions } from './pose-session';

export interface PipelineOptions {
  /** Decoded frame width (aspect kept), 0 = native. */
  width: number;
  /** Frames to process, 0 = all. */
  maxFrames: number;
  pose: PoseSessionOptions;
  tracker: Partial<TrackerOptions>;
  faces: Partial<FaceCropperOptions>;
  /** Shipped classifier name or model path, and the verdict gates. */
  classifier: { model?: string } & ClassifyFacesOptions;
  vote: Partial<VoteOptions>;
}

/** What one frame gave, handed to the caller's `onFrame` as soon as it is done. */
export interface FrameResult {
  frame: Frame;
  poses: Pose[];
  tracks: Track[];
  faces: FaceCrop[];
}

export type Stage = 'decode' | 'pose' | 'track' | 'crop' | 'classify' | 'count';

export interface PipelineResult {
  video: string;
  videoFps: number;
  width: number;
  height: number;
  frames: number;
  /** Frames processed per second of wall time, decoding included. */
  fps: number;
  wallMs: number;
  /** Wall time spent in each stage over the whole run. */
  stageMs: Record<Stage, number>;
  compliance: RunCompliance;
}

/** The counts of the whole run, as the compliance-counter node would report them at the end. */
export interface RunCompliance {
  frames: number;
  /** Every person counted, in the order they were first seen. */
  people: PersonRecord[];
  counts: ComplianceCounts;
  complianceRate: number | null;
  skipped: SkippedCounts;
}

export async function runPipeline(
  path: string,
  options: PipelineOptions,
  onFrame: (result: FrameResult, totalFrames: number | undefined) => void = () => undefined,
): Promise<PipelineResult> {
  const started = performance.now();
  const [pose, classifier] = await Promise.all([
    createPoseSession(options.pose),
    createMaskClassifierSession(options.classifier.model),
  ]);
  const stageMs: Record<Stage, number> = {
    decode: 0,
    pose: 0,
    track: 0,
    crop: 0,
    classify: 0,
    count: 0,
  };
  const timed = async <T>(stage: Stage, work: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      stageMs[stage] += performance.now() - t0;
    }
  };
  // The tracker's score thresholds follow the pose model's score scale (measured per model).
  const tracker = new Tracker(withMeasuredScores(pose.modelName, options.tracker));
  // The counter node's core, on media time: a person unseen for retireAfterMs of video has left.
  const counter = new CameraCompliance({
    vote: { ...DEFAULT_VOTE_OPTIONS, ...options.vote },
    zones: [],
    rollingMs: DEFAULT_ROLLING_MINUTES * 60_000,
    retireAfterMs: DEFAULT_RETIRE_AFTER_MS,
    timeZone: 'UTC',
    reportMinutes: DEFAULT_REPORT_MINUTES,
    keepFaces: false,
  });
  const departed: PersonRecord[] = [];
  let frames = 0;
  try {
    const reader = await openVideo(path, { width: options.width, maxFrames: options.maxFrames });
    const total = stated(reader.info.frameCount, options.maxFrames);
    try {
      const iterator = reader[Symbol.asyncIterator]();
      for (;;) {
        const next = await timed('decode', () => iterator.next());
        if (next.done) break;
        const frame = next.value;
        const poses = await timed('pose', () => pose.estimate(frame));
        const tracks = await timed('track', () =>
          tracker.update(poses.map(poseToDetection), frame.index),
        );
        const cropped = await timed('crop', () => cropFaces(frame, tracks, options.faces));
        const faces = await timed('classify', () =>
          classifyFaces(classifier, cropped, options.classifier),
        );
        await timed('count', () => {
          const outcome = counter.update({
            timestampMs: frame.timestampMs,
            frameIndex: frame.index,
            tracks,
            faces,
            frameWidth: frame.width,
            frameHeight: frame.height,
          });
          departed.push(...outcome.departed);
        });
        frames += 1;
        onFrame({ frame, poses, tracks, faces }, total);
      }
    } finally {
      await reader.close();
    }
    const wallMs = performance.now() - started;
    return {
      video: reader.info.path,
      videoFps: reader.info.fps,
      width: reader.frameWidth,
      height: reader.frameHeight,
      frames,
      fps: frames / (wallMs / 1000),
      wallMs,
      stageMs,
      compliance: runCompliance(counter, departed),
    };
  } finally {
    pose.dispose();
    classifier.dispose();
  }
}

function runCompliance(counter: CameraCompliance, departed: PersonRecord[]): RunCompliance {
  const snapshot = counter.snapshot();
  const people = [...departed, ...snapshot.people].sort(
    (a, b) => a.firstSeenMs - b.firstSeenMs || a.trackId - b.trackId,
  );
  const { frames, counts, complianceRate, skipped } = snapshot;
  return { frames, people, counts, complianceRate, skipped };
}

function stated(frameCount: number | undefined, maxFrames: number): number | undefined {
  if (frameCount === undefined) return maxFrames > 0 ? maxFrames : undefined;
  return maxFrames > 0 ? Math.min(frameCount, maxFrames) : frameCount;
}
