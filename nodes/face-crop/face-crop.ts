/**
 * face-crop: for each tracked person with a pose this frame, finds the face from the head
 * keypoints, says which way it is turned, and cuts a small pixel copy for the mask classifier.
 */
import { assertFrame } from '../../src/core/frame';
import { assertTracks } from '../../src/core/message-lists';
import type { FaceCrop } from '../../src/core/types';
import { cropFaces } from '../../src/runtime/face-cropper';
import {
  onInput,
  status,
  type FlowMessage,
  type Node,
  type NodeAPI,
  type Send,
  settingsOrFail,
} from '../common/node-kit';
import {
  faceStatusText,
  MAX_IN_FLIGHT_FRAMES,
  parseFaceCropConfig,
  type FaceCropDef,
} from './face-crop-config';

export = function register(RED: NodeAPI): void {
  function FaceCropNode(this: Node, def: FaceCropDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const options = settingsOrFail(node, () => parseFaceCropConfig(def));
    if (options === undefined) return;
    const inFlight = new Set<Promise<unknown>>();
    let dropped = 0;
    let lastStatus = '';
    const show = (text: string): void => {
      if (text === lastStatus) return;
      lastStatus = text;
      node.status(dropped > 0 ? status.warn(text) : status.ok(text));
    };
    node.status(status.idle('waiting for frames'));

    /** Sets msg.faces; false when the frame was dropped because the node is busy. */
    const crop = async (msg: FlowMessage): Promise<boolean> => {
      const frame = assertFrame(msg.frame);
      const tracks = assertTracks(msg.tracks);
      if (inFlight.size >= MAX_IN_FLIGHT_FRAMES) {
        dropped += 1;
        show(`busy · ${dropped} dropped`);
        return false;
      }
      const work = cropFaces(frame, tracks, options);
      inFlight.add(work);
      let faces: FaceCrop[];
      try {
        faces = await work;
      } finally {
        inFlight.delete(work);
      }
      msg.faces = faces;
      node.trace(`frame ${frame.index}: ${faceStatusText(faces)}`);
      show(faceStatusText(faces) + (dropped > 0 ? ` · ${dropped} dropped` : ''));
      return true;
    };

    onInput(node, async (msg: FlowMessage, send: Send) => {
      let cropped: boolean;
      try {
        cropped = await crop(msg);
      } catch (err) {
        // node-kit paints the status red; the next good message must repaint it.
        lastStatus = '';
        throw err;
      }
      if (cropped) send(msg);
    });

    node.on('close', (done: () => void) => {
      // Crops in progress finish (sharp cannot be cancelled) before the node reports closed.
      Promise.allSettled([...inFlight]).then(() => done());
    });
  }
  RED.nodes.registerType('face-crop', FaceCropNode);
};
