/**
 * compliance-counter: counts people (confirmed tracks) per camera and the mask verdict each one's
 * faces voted for, over the time since reset, a rolling window, calendar hours and days and
 * include zones; raises alerts on output 2 and sends one report per period on output 3. Counts
 * live in a context store, so a restart loses nothing.
 */
import {
  CameraCompliance,
  type AlertEvent,
  type CameraFrame,
  type CameraSnapshot,
  type PeriodReport,
} from '../../src/core/camera-compliance';
import { assertFaces, assertTracksWithBoxes } from '../../src/core/message-lists';
import { cropToJpeg } from '../../src/runtime/crop-jpeg';
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
  complianceAnnotations,
  complianceStatusText,
  parseComplianceCounterConfig,
  reportPayload,
  summarize,
  type ComplianceCounterConfig,
  type ComplianceCounterDef,
} from './compliance-counter-config';
import { CounterStore, type StoredCameras } from './counter-store';

type Kind = 'reset' | 'flush' | 'outage' | 'event' | 'frame';

/** The run events of video-source's second output that the counter takes. */
const VIDEO_SOURCE_EVENTS = ['start', 'end', 'stopped', 'outage'] as const;

/** What a message asks for; video-source's run events (output 2) may be wired in as well. */
function kindOf(msg: FlowMessage): Kind {
  if (msg.reset === true || msg.payload === 'reset') return 'reset';
  if (msg.flush === true || msg.payload === 'flush') return 'flush';
  const event = (msg.payload as { event?: unknown } | null | undefined)?.event;
  if (event === 'outage') return 'outage';
  if (event === 'end' || event === 'stopped') return 'flush';
  if (event === 'start') return 'event';
  if (typeof event === 'string' && msg.tracks === undefined) {
    throw new TypeError(
      `msg.payload.event ${JSON.stringify(event)} is no video-source event ` +
        `(${VIDEO_SOURCE_EVENTS.join(' / ')})`,
    );
  }
  return 'frame';
}

function finiteNumber(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${field} must be a number of milliseconds, got ${JSON.stringify(value)}`);
  }
  return value;
}

class ComplianceCounterController {
  // Limitation: a camera (topic) is kept until a reset, even when it sends no more frames; way
  // out: retire a camera whose clock has not moved for a day.
  private readonly cameras = new Map<string, CameraCompliance>();
  private lastStatus = '';
  readonly ready: Promise<void>;

  constructor(
    private readonly node: Node,
    private readonly config: ComplianceCounterConfig,
    private readonly store: CounterStore,
  ) {
    node.status(status.idle('restoring counts'));
    this.ready = store.load().then(
      ({ cameras, dropped }) => this.restore(cameras, dropped),
      (err: unknown) => {
        node.warn(`cannot read stored counts, starting from zero: ${errorMessage(err)}`);
        node.status(status.idle('no people yet'));
      },
    );
  }

  private restore(stored: StoredCameras, dropped: string[]): void {
    for (const [camera, state] of Object.entries(stored)) {
      this.cameras.set(camera, CameraCompliance.fromState(this.config.camera, state));
    }
    if (dropped.length > 0) {
      this.node.warn(`stored counts of ${dropped.join(', ')} are unreadable; they start from zero`);
    }
    const restored = [...this.cameras.keys()];
    this.node.debug(`restored ${restored.length} camera(s) from the context store`);
    if (restored.length === 0) this.node.status(status.idle('no people yet'));
    else this.showStatus(this.cameraNamed(restored[0]).snapshot());
  }

  private cameraNamed(camera: string): CameraCompliance {
    let cam = this.cameras.get(camera);
    if (!cam) {
      cam = new CameraCompliance(this.config.camera);
      this.cameras.set(camera, cam);
    }
    return cam;
  }

  async handle(msg: FlowMessage, send: Send): Promise<void> {
    await this.ready;
    try {
      await this.dispatch(msg, send);
    } catch (err) {
      // node-kit paints the status red; the next good message must repaint it.
      this.lastStatus = '';
      throw err;
    }
  }

  private async dispatch(msg: FlowMessage, send: Send): Promise<void> {
    const camera = cameraOf(msg);
    switch (kindOf(msg)) {
      case 'reset':
        this.reset(msg, camera);
        this.sendCounts(msg, camera, send);
        break;
      case 'flush':
        this.flush(msg, camera, send);
        break;
      case 'outage':
        this.outage(msg, camera);
        break;
      case 'event':
        break; // start of a run: nothing to count
      case 'frame':
        await this.frame(msg, camera, send);
        break;
    }
    this.persist();
  }

  /** A reset without a topic clears every camera; with one, only that camera. */
  private reset(msg: FlowMessage, camera: string): void {
    if (msg.topic === undefined || msg.topic === '') this.cameras.clear();
    else this.cameras.delete(camera);
    this.node.debug(`reset ${camera === '' ? 'all cameras' : `camera "${camera}"`}`);
  }

  /** Sends the open period of the message's camera (of every camera without a topic). */
  private flush(msg: FlowMessage, camera: string, send: Send): void {
    const names = camera === '' ? [...this.cameras.keys()] : [camera];
    const reports = names.flatMap((name) => {
      const report = this.cameras.get(name)?.flush();
      return report ? [this.reportMessage(name, report)] : [];
    });
    if (reports.length > 0) send([null, null, reports]);
    const why = typeof msg.payload === 'string' ? msg.payload : 'a video-source event';
    this.node.debug(`flushed ${reports.length} report(s) on ${why}`);
  }

  private outage(msg: FlowMessage, camera: string): void {
    const p = msg.payload as { startMs?: unknown; endMs?: unknown };
    const startMs = finiteNumber('msg.payload.startMs', p.startMs);
    const endMs = finiteNumber('msg.payload.endMs', p.endMs);
    if (endMs < startMs) {
      throw new RangeError(`msg.payload.endMs must be ≥ startMs (${startMs}), got ${endMs}`);
    }
    this.cameraNamed(camera).addOutage(startMs, endMs);
    this.node.debug(`camera "${camera}" blind for ${endMs - startMs} ms`);
  }

  private async frame(msg: FlowMessage, camera: string, send: Send): Promise<void> {
    const tracks = assertTracksWithBoxes(msg.tracks);
    const faces = assertFaces(msg.faces);
    const cam = this.cameraNamed(camera);
    const frameInfo = msg.frame as
      { index?: unknown; timestampMs?: unknown; width?: unknown; height?: unknown } | undefined;
    const index = frameInfo?.index;
    const input: CameraFrame = {
      timestampMs: this.timeOf(frameInfo?.timestampMs),
      frameIndex: typeof index === 'number' ? index : cam.frameCount(),
      tracks,
      faces,
      // Checked by the core only when zones need them (the error names msg.frame.width).
      frameWidth: frameInfo?.width as number | undefined,
      frameHeight: frameInfo?.height as number | undefined,
    };
    const outcome = cam.update(input);
    const alerts = outcome.alert ? [await this.alertMessage(camera, outcome.alert)] : null;
    const reports = outcome.reports.map((r) => this.reportMessage(camera, r));
    const snapshot = this.sendCounts(msg, camera, send, alerts, reports);
    if (this.config.annotate) {
      const before = Array.isArray(msg.annotations) ? msg.annotations : [];
      msg.annotations = [...before, ...complianceAnnotations(tracks, snapshot)];
    }
    if (alerts) this.node.log(`camera "${camera}": ${outcome.alert!.transition}`);
  }

  /**
   * The wall clock is read here, at the node's edge, and only when the frame has no timestamp or
   * the node is set to count by arrival time.
   */
  private timeOf(timestampMs: unknown): number {
    if (this.config.clock === 'frame' && typeof timestampMs === 'number') {
      return finiteNumber('msg.frame.timestampMs', timestampMs);
    }
    return Date.now();
  }

  private sendCounts(
    msg: FlowMessage,
    camera: string,
    send: Send,
    alerts: FlowMessage[] | null = null,
    reports: FlowMessage[] = [],
  ) {
    const snapshot = this.cameraNamed(camera).snapshot();
    msg.compliance = { camera, ...snapshot };
    msg.payload = summarize(snapshot);
    this.showStatus(snapshot);
    send([msg, alerts, reports.length > 0 ? reports : null]);
    return snapshot;
  }

  private async alertMessage(camera: string, alert: AlertEvent): Promise<FlowMessage> {
    const violators = await Promise.all(
      alert.violators.map(async ({ face, ...v }) =>
        face ? { ...v, faceJpeg: await cropToJpeg(face) } : v,
      ),
    );
    const { window } = alert;
    const payload = {
      event: alert.transition,
      camera,
      timeMs: window.endMs,
      window: { startMs: window.startMs, endMs: window.endMs },
      ...window.counts,
      complianceRate: window.complianceRate,
      unmaskedFraction: window.unmaskedFraction,
      aboveFraction: alert.rule.aboveFraction,
      clearBelowFraction: alert.rule.aboveFraction - alert.rule.hysteresisFraction,
      minPeople: alert.rule.minPeople,
      zones: window.zones,
      violators,
    };
    return { topic: camera, payload } as FlowMessage;
  }

  private reportMessage(camera: string, report: PeriodReport): FlowMessage {
    return { topic: camera, payload: reportPayload(camera, report) } as FlowMessage;
  }

  private showStatus(snapshot: CameraSnapshot): void {
    const alerting = snapshot.alert?.active === true;
    const text = complianceStatusText(summarize(snapshot)) + (alerting ? ' · alert' : '');
    if (text === this.lastStatus) return; // a status is an editor event: not one per frame
    this.lastStatus = text;
    this.node.status(alerting ? status.warn(text) : status.ok(text));
  }

  private persist(): void {
    this.store.save(() => {
      const all: StoredCameras = {};
      for (const [camera, cam] of this.cameras) all[camera] = cam.toState();
      return all;
    });
  }

  /** Writes the counts on a stop; forgets them when the node was deleted from the flow. */
  close(removed: boolean): Promise<void> {
    return removed ? this.store.clear() : this.store.flush();
  }
}

export = function register(RED: NodeAPI): void {
  function ComplianceCounterNode(this: Node, def: ComplianceCounterDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = settingsOrFail(node, () => parseComplianceCounterConfig(def));
    if (config === undefined) return;
    const store = new CounterStore(node, config.store === '' ? undefined : config.store);
    const controller = new ComplianceCounterController(node, config, store);
    onInput(node, (msg: FlowMessage, send: Send) => controller.handle(msg, send));
    node.on('close', (removed: boolean, done: () => void) => {
      controller.close(removed).then(done, (err: unknown) => {
        node.warn(`cannot store counts on close: ${errorMessage(err)}`);
        done();
      });
    });
  }
  RED.nodes.registerType('compliance-counter', ComplianceCounterNode);
};
