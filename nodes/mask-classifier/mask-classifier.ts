/**
 * mask-classifier: gives every face on `msg.faces` a `verdict` (mask / no_mask / incorrect /
 * unknown). One frame is classified at a time and one more per camera may wait; a newer frame of
 * that camera replaces the waiting one, which is dropped, counted and shown in the status.
 */
import { performance } from 'node:perf_hooks';
import { LatestWinsQueue } from '../../src/core/latest-wins-queue';
import { assertFacesWithCrops } from '../../src/core/message-lists';
import { classifyFaces } from '../../src/runtime/classify-faces';
import {
  createMaskClassifierSession,
  type MaskClassifierSession,
} from '../../src/runtime/mask-classifier-session';
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
  parseMaskClassifierConfig,
  verdictStatusText,
  type MaskClassifierDef,
} from './mask-classifier-config';

interface Job {
  msg: FlowMessage;
  send: Send;
}

export = function register(RED: NodeAPI): void {
  function MaskClassifierNode(this: Node, def: MaskClassifierDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = settingsOrFail(node, () =>
      parseMaskClassifierConfig(def, RED.settings.userDir ?? process.cwd()),
    );
    if (config === undefined) return;

    node.status(status.idle('loading model'));
    let closed = false;
    const ready: Promise<MaskClassifierSession> = createMaskClassifierSession(config.model, {
      executionProvider: config.executionProvider,
      warn: (text) => node.warn(text),
    });
    ready.then(
      (session) => {
        if (closed) return; // close() disposes it
        node.debug(`loaded ${session.modelName} (${session.inputSize} px)`);
        node.status(status.idle(`${session.modelName} ready`));
      },
      (err: unknown) => {
        // Frames still arrive; each fails through done(err) with this same message.
        node.status(status.error(errorMessage(err)));
        node.error(`cannot load mask classifier: ${errorMessage(err)}`);
      },
    );

    const queue = new LatestWinsQueue<Job>(
      async ({ msg, send }) => {
        const session = await ready;
        const faces = assertFacesWithCrops(msg.faces);
        const started = performance.now();
        const classified = await classifyFaces(session, faces, config.faces);
        const ms = performance.now() - started;
        msg.faces = classified;
        const text = verdictStatusText(classified, ms, queue.dropped);
        node.trace(`${faces.length} faces: ${text}`);
        node.status(queue.dropped > 0 ? status.warn(text) : status.ok(text));
        send(msg);
      },
      // One waiting frame per camera: one camera's frame never pushes out another's.
      ({ msg }) => cameraOf(msg),
    );

    onInput(node, async (msg: FlowMessage, send: Send) => {
      // Checked before queueing, so a bad message fails at once and never displaces a good one.
      assertFacesWithCrops(msg.faces);
      await queue.submit({ msg, send });
    });

    node.on('close', (done: () => void) => {
      closed = true;
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
  RED.nodes.registerType('mask-classifier', MaskClassifierNode);
};
