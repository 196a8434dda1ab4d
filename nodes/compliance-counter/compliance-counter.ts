/**
 * compliance-counter: counts people (confirmed tracks) per camera and the mask verdict each one's
 * faces voted for, and puts the running counts and compliance rate on every message.
 */
import { ComplianceTally } from '../../src/core/compliance-tally';
import { assertFaces, assertTracks } from '../../src/core/message-lists';
import type { VoteOptions } from '../../src/core/verdict-vote';
import {
  errorMessage,
  onInput,
  status,
  type FlowMessage,
  type Node,
  type NodeAPI,
  type Send,
} from '../common/node-kit';
import {
  complianceStatusText,
  parseComplianceCounterConfig,
  summarize,
  type ComplianceCounterDef,
} from './compliance-counter-config';

/** A reset message: `msg.reset === true` or the payload "reset". */
function isReset(msg: FlowMessage): boolean {
  return msg.reset === true || msg.payload === 'reset';
}

/** Messages without a topic share one camera, keyed by the empty string. */
function cameraOf(msg: FlowMessage): string {
  return typeof msg.topic === 'string' ? msg.topic : '';
}

export = function register(RED: NodeAPI): void {
  function ComplianceCounterNode(this: Node, def: ComplianceCounterDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    let options: VoteOptions;
    try {
      options = parseComplianceCounterConfig(def);
    } catch (err) {
      node.status(status.error(errorMessage(err)));
      node.error(errorMessage(err));
      return;
    }
    // Limitation: one tally per topic for the life of the node, never retired, because there are
    // no compliance windows yet; way out: windows that close and forget old people and cameras.
    const tallies = new Map<string, ComplianceTally>();
    const tallyOf = (camera: string): ComplianceTally => {
      let tally = tallies.get(camera);
      if (!tally) {
        tally = new ComplianceTally(options);
        tallies.set(camera, tally);
      }
      return tally;
    };
    let lastStatus = '';
    /** Sets the status only when its text changes: a status is an editor event per frame. */
    const show = (text: string): void => {
      if (text !== lastStatus) node.status(status.ok(text));
      lastStatus = text;
    };
    node.status(status.idle('no people yet'));

    const count = (msg: FlowMessage): void => {
      const camera = cameraOf(msg);
      if (isReset(msg)) {
        // A reset without a topic clears every camera; with one, only that camera.
        if (msg.topic === undefined || msg.topic === '') tallies.forEach((t) => t.reset());
        else tallyOf(camera).reset();
        node.debug(`reset ${camera === '' ? 'all cameras' : `camera "${camera}"`}`);
      } else {
        const tracks = assertTracks(msg.tracks);
        const faces = assertFaces(msg.faces);
        const tally = tallyOf(camera);
        const index = (msg.frame as { index?: unknown } | undefined)?.index;
        const frameIndex = typeof index === 'number' ? index : tally.frameCount();
        tally.update({ frameIndex, tracks, faces });
      }
      const snapshot = tallyOf(camera).snapshot();
      const summary = summarize(snapshot);
      msg.compliance = snapshot;
      msg.payload = summary;
      show(complianceStatusText(summary));
    };

    onInput(node, (msg: FlowMessage, send: Send) => {
      try {
        count(msg);
      } catch (err) {
        // node-kit paints the status red; the next good message must repaint it.
        lastStatus = '';
        throw err;
      }
      send(msg);
    });

    node.on('close', () => tallies.clear());
  }
  RED.nodes.registerType('compliance-counter', ComplianceCounterNode);
};
