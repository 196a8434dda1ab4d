/**
 * The pose stage alone over a whole video: every frame decoded at its native size (MOT ground
 * truth is in native pixels), its poses estimated, and the poses handed back by 1-based frame
 * number. `maskwatch mot` runs the tracker on what this returns.
 */
import type { Pose } from '../core/types';
import { openVideo } from './ffmpeg-frame-reader';
import { createPoseSession, type PoseSessionOptions } from './pose-session';

export interface VideoPoses {
  video: string;
  width: number;
  height: number;
  /** Frames read. */
  frames: number;
  /** Poses by 1-based frame number (MOT numbering); frames without poses hold empty lists. */
  poses: Map<number, Pose[]>;
  modelName: string;
}

export interface DetectVideoOptions {
  pose: PoseSessionOptions;
  /** Frames to read, 0 = all. */
  maxFrames: number;
}

export async function detectVideo(
  path: string,
  options: DetectVideoOptions,
  onFrame: (frame: number, total: number | undefined, poses: Pose[]) => void = () => undefined,
): Promise<VideoPoses> {
  const session = await createPoseSession(options.pose);
  try {
    const reader = await openVideo(path, { width: 0, maxFrames: options.maxFrames });
    const total =
      options.maxFrames > 0
        ? Math.min(options.maxFrames, reader.info.frameCount ?? options.maxFrames)
        : reader.info.frameCount;
    const poses = new Map<number, Pose[]>();
    try {
      for await (const frame of reader) {
        const found = await session.estimate(frame);
        poses.set(frame.index + 1, found);
        onFrame(frame.index + 1, total, found);
      }
    } finally {
      await reader.close();
    }
    return {
      video: reader.info.path,
      width: reader.frameWidth,
      height: reader.frameHeight,
      frames: poses.size,
      poses,
      modelName: session.modelName,
    };
  } finally {
    session.dispose();
  }
}
