/**
 * annotate-frame: draws `msg.annotations` (boxes, track ids, verdicts) into a JPEG copy of the
 * decoded frame `msg.frame`, blurring faces first unless told not to. One frame is drawn at a
 * time and one per camera may wait; a newer frame of that camera replaces the waiting one,
 * dropped and counted.
 */
import { DEFAULT_DRAW_STYLE, toDrawables } from '../../src/core/annotation';
import { blurRegions } from '../../src/core/blur-regions';
import { assertFrame } from '../../src/core/frame';
import { LatestWinsQueue } from '../../src/core/latest-wins-queue';
import { annotatedJpeg } from '../../src/runtime/frame-annotator';
import {
  cameraOf,
  onInput,
  status,
  type FlowMessage,
  type Node,
  type NodeAPI,
  type Send,
  settingsOrFail,
} from '../common/node-kit';
import { parseAnnotateFrameConfig, type AnnotateFrameDef } from './annotate-frame-config';

interface Job {
  msg: FlowMessage;
  send: Send;
}

function listOf(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TypeError(`${field} must be an array, got ${typeof value}`);
  return value;
}

export = function register(RED: NodeAPI): void {
  function AnnotateFrameNode(this: Node, def: AnnotateFrameDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = settingsOrFail(node, () => parseAnnotateFrameConfig(def));
    if (config === undefined) return;
    const style = { ...DEFAULT_DRAW_STYLE, lineWidth: config.lineWidth, fontSize: config.fontSize };
    let lastStatus = '';

    const queue = new LatestWinsQueue<Job>(
      async ({ msg, send }) => {
        const frame = assertFrame(msg.frame);
        const annotations = listOf(msg.annotations, 'msg.annotations');
        const { drawables, skipped } = toDrawables(annotations, style);
        const blur = config.blurFaces
          ? blurRegions(
              listOf(msg.faces, 'msg.faces') as never,
              listOf(msg.tracks, 'msg.tracks') as never,
            )
          : [];
        const jpeg = await annotatedJpeg(frame, drawables, { quality: config.quality, blur });
        RED.util.setMessageProperty(msg, config.property, jpeg, true);
        if (skipped > 0) node.trace(`frame ${frame.index}: ${skipped} annotations not drawable`);
        const dropped = queue.dropped;
        const text =
          `${drawables.length} drawn${config.blurFaces ? ` · ${blur.length} blurred` : ''}` +
          (dropped > 0 ? ` · ${dropped} dropped` : '');
        if (text !== lastStatus) node.status(dropped > 0 ? status.warn(text) : status.ok(text));
        lastStatus = text;
        send(msg);
      },
      // One waiting frame per camera: one camera's frame never pushes out another's.
      ({ msg }) => cameraOf(msg),
    );

    node.status(status.idle(config.blurFaces ? 'faces blurred' : 'faces NOT blurred'));
    onInput(node, async (msg: FlowMessage, send: Send) => {
      // Checked before queueing, so a bad message fails at once and never displaces a good one.
      assertFrame(msg.frame);
      listOf(msg.annotations, 'msg.annotations');
      try {
        await queue.submit({ msg, send });
      } catch (err) {
        lastStatus = '';
        throw err;
      }
    });

    node.on('close', (done: () => void) => {
      queue.clear().finally(() => done());
    });
  }
  RED.nodes.registerType('annotate-frame', AnnotateFrameNode);
};
