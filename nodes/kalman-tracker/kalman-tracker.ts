/**
 * kalman-tracker: gives each person found by the pose stage an id that follows them from frame
 * to frame (SORT with ByteTrack's two-stage association), one tracker per camera (msg.topic).
 */
import { MultiCameraTracker } from '../../src/core/multi-camera-tracker';
import {
  type FlowMessage,
  type Node,
  type NodeAPI,
  cameraOf,
  onInput,
  RateLimitedWarn,
  type Send,
  status,
  settingsOrFail,
} from '../common/node-kit';
import {
  detectionsOf,
  frameIndexOf,
  isResetMessage,
  type KalmanTrackerDef,
  parseKalmanTrackerConfig,
  posesOf,
  trackStatusText,
} from './kalman-tracker-config';

export = function register(RED: NodeAPI): void {
  function KalmanTrackerNode(this: Node, def: KalmanTrackerDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const options = settingsOrFail(node, () => parseKalmanTrackerConfig(def));
    if (options === undefined) return;
    const cameras = new MultiCameraTracker(options);
    const badPoseWarning = new RateLimitedWarn((text) => node.warn(text));
    node.status(status.idle('waiting for poses'));

    const reset = (msg: FlowMessage): void => {
      const camera = cameraOf(msg);
      cameras.reset(camera === '' ? undefined : camera);
      node.debug(`reset ${camera === '' ? 'all cameras' : `camera ${camera}`}`);
      node.status(status.idle(camera === '' ? 'reset' : `reset ${camera}`));
    };

    const track = (msg: FlowMessage): void => {
      const camera = cameraOf(msg);
      const poses = posesOf(msg);
      const frameIndex = frameIndexOf(msg) ?? cameras.nextFrameIndex(camera);
      if (cameras.isRestart(camera, frameIndex)) {
        // The source played again from its first frame: the old tracks belong to the last run.
        cameras.reset(camera);
        node.log(`${camera || 'no topic'}: frame 0 again, the source restarted; tracks dropped`);
      }
      const tracker = cameras.tracker(camera);
      const tracks = tracker.update(detectionsOf(poses), frameIndex);
      msg.tracks = tracks;
      const skipped = tracker.lastStats?.skippedDetections ?? 0;
      const text = trackStatusText(tracks, camera, cameras.keys().length);
      if (skipped > 0) {
        badPoseWarning.emit(`frame ${frameIndex}: skipped ${skipped} pose(s) without a usable box`);
        node.status(status.warn(`${text} · ${skipped} bad skipped`));
      } else {
        node.status(status.ok(text));
      }
      node.trace(`frame ${frameIndex} (${camera || 'no topic'}): ${text}`);
    };

    onInput(node, (msg: FlowMessage, send: Send) => {
      // A reset is a control message: it is consumed, not passed on.
      if (isResetMessage(msg)) {
        reset(msg);
        return;
      }
      track(msg);
      send(msg);
    });

    node.on('close', (done: () => void) => {
      cameras.reset();
      done();
    });
  }

  RED.nodes.registerType('kalman-tracker', KalmanTrackerNode);
};
