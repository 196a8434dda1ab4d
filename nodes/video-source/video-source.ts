/**
 * video-source: frames from a video file, an RTSP / HTTP (MJPEG, HLS) stream, a V4L2 camera, a
 * folder of images, or an image in msg.payload, as `msg.frame` messages (output 1); run events
 * and outages on output 2. The behaviour lives in VideoSourceController; this file wires it.
 */
import {
  errorMessage,
  onInput,
  status,
  type Node,
  type NodeAPI,
  settingsOrFail,
} from '../common/node-kit';
import { VideoSourceController } from './video-source-controller';
import {
  commandOf,
  parseVideoSourceConfig,
  type VideoSourceCredentials,
  type VideoSourceDef,
} from './video-source-config';

/** Delay between deploy and the start of a source set to start on deploy. */
const START_ON_DEPLOY_DELAY_MS = 100;

export = function register(RED: NodeAPI): void {
  function VideoSourceNode(this: Node, def: VideoSourceDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const credentials = (node as Node & { credentials?: VideoSourceCredentials }).credentials;
    const config = settingsOrFail(node, () => parseVideoSourceConfig(def, credentials));
    if (config === undefined) return;
    const userDir = (RED.settings as { userDir?: string }).userDir;
    const controller = new VideoSourceController(node, config, userDir);
    node.status(status.idle(config.sourceType === 'message' ? 'waiting for images' : 'stopped'));

    onInput(node, async (msg, send) => {
      const command = commandOf(msg);
      if (command === 'image') return controller.sendImage(msg, send);
      if (command === 'next') return controller.ack();
      if (command === 'stop') return controller.stop();
      if (command === 'pause') return controller.pause();
      if (command === 'resume') return controller.resume();
      const filename =
        typeof msg.filename === 'string' && msg.filename !== '' ? msg.filename : undefined;
      await controller.start(filename, msg);
    });

    // Started a moment after deploy, as the inject node does, so that the nodes wired to the
    // outputs exist when the first event is sent.
    const startTimer = !config.startOnDeploy
      ? undefined
      : setTimeout(() => {
          controller.start(undefined).catch((err: unknown) => {
            node.status(status.error(errorMessage(err)));
            // With a message, as for a start sent in, so that Catch nodes see it.
            node.error(errorMessage(err), { topic: config.topic, payload: 'start' });
          });
        }, START_ON_DEPLOY_DELAY_MS);

    node.on('close', (_removed: boolean, done: () => void) => {
      clearTimeout(startTimer);
      controller.close().then(done, done);
    });
  }
  RED.nodes.registerType('video-source', VideoSourceNode, {
    credentials: { user: { type: 'text' }, password: { type: 'password' } },
  });
};
