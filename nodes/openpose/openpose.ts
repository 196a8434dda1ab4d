/**
 * openpose: finds the people in each frame (`msg.frame`) and sets `msg.poses`, their keypoints
 * and boxes in frame pixels. One frame is estimated at a time and one more per camera may
 * wait; a newer frame of that camera replaces the waiting one, which is dropped, counted and
 * shown in the status.
 */
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { assertFrame } from '../../src/core/frame';
import { LatestWinsQueue } from '../../src/core/latest-wins-queue';
import { createPoseSession, type PoseSession } from '../../src/runtime/pose-session';
import { ModelFileError } from '../../src/runtime/tfjs-file-io';
import {
  cameraOf,
  errorMessage,
  onInput,
  status,
  type FlowMessage,
  type Node,
  type NodeAPI,
  type Send,
  settingsOrFail,
} from '../common/node-kit';
import {
  parseOpenposeConfig,
  poseAnnotations,
  poseStatusText,
  type OpenposeDef,
} from './openpose-config';

interface Job {
  msg: FlowMessage;
  send: Send;
}

/**
 * The status of a model that failed to load: the file's name and the problem, short enough for
 * the editor (the full path is in the error log).
 */
function modelErrorStatus(err: unknown): string {
  if (err instanceof ModelFileError) return `${basename(err.file)}: ${err.problem}`;
  return errorMessage(err);
}

export = function register(RED: NodeAPI): void {
  function OpenposeNode(this: Node, def: OpenposeDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = settingsOrFail(node, () =>
      parseOpenposeConfig(def, RED.settings.userDir ?? process.cwd()),
    );
    if (config === undefined) return;

    node.status(status.idle('loading model'));
    let closed = false;
    const ready: Promise<PoseSession> = createPoseSession({
      ...config.session,
      // Degraded operation (CUDA asked for but missing) is a warning in the node's log.
      warn: (text) => node.warn(text),
    });
    ready.then(
      (session) => {
        if (closed) return; // close() disposes it
        node.debug(`loaded ${session.modelName} from ${config.modelLabel}`);
        node.status(status.idle(`${session.modelName} ready`));
      },
      (err: unknown) => {
        // Frames still arrive; each fails through done(err) with this same message.
        node.status(status.error(modelErrorStatus(err)));
        node.error(`cannot load pose model: ${errorMessage(err)}`);
      },
    );

    const queue = new LatestWinsQueue<Job>(
      async ({ msg, send }) => {
        const session = await ready;
        const frame = assertFrame(msg.frame);
        const started = performance.now();
        const poses = await session.estimate(frame);
        const ms = performance.now() - started;
        msg.poses = poses;
        if (config.annotate) {
          const before = Array.isArray(msg.annotations) ? msg.annotations : [];
          msg.annotations = [...before, ...poseAnnotations(poses)];
        }
        node.trace(`frame ${frame.index}: ${poses.length} poses in ${ms.toFixed(0)} ms`);
        const text = poseStatusText(poses.length, ms, queue.dropped);
        node.status(queue.dropped > 0 ? status.warn(text) : status.ok(text));
        send(msg);
      },
      // One waiting frame per camera: one camera's frame never pushes out another's.
      ({ msg }) => cameraOf(msg),
    );

    onInput(node, async (msg: FlowMessage, send: Send) => {
      // Checked before queueing, so a bad message fails at once and never displaces a good one.
      assertFrame(msg.frame);
      await queue.submit({ msg, send });
    });

    node.on('close', (done: () => void) => {
      closed = true;
      // The waiting frame is dropped (its done() is called); the frame in work finishes first.
      queue
        .clear()
        .then(() => ready)
        .then(
          (session) => session.dispose(),
          () => undefined,
        )
        .finally(() => done());
    });
  }
  RED.nodes.registerType('openpose', OpenposeNode);
};
