/**
 * The behaviour of one video-source node: which source each start opens, how its events become
 * messages (frames on output 1, run events and outages on output 2) and statuses. The node file
 * only wires this to Node-RED.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { MonotonicStamp } from '../../src/core/monotonic-stamp';
import type { OutageReport } from '../../src/core/stream-health';
import type { Frame } from '../../src/core/types';
import type {
  FrameSource,
  HealthView,
  SourceListener,
  SourceSummary,
} from '../../src/runtime/frame-source';
import { decodeImage } from '../../src/runtime/image-frame';
import { openImageSequence } from '../../src/runtime/image-sequence';
import { LiveStream, monotonicWallMs } from '../../src/runtime/live-stream';
import { VideoPlayback } from '../../src/runtime/video-playback';
import { errorMessage, status, type FlowMessage, type Node } from '../common/node-kit';
import type { VideoSourceConfig } from './video-source-config';

/** Status text changes at most this often: a per-frame status would flood the editor. */
const STATUS_INTERVAL_MS = 250;
/** Images from msg.payload decoding at once; more are refused (counted), never queued. */
const MAX_IMAGE_DECODES = 2;

type RunEvent = 'start' | 'end' | 'stopped';

/**
 * A relative path is looked up in the Node-RED user directory, the working directory and this
 * package (so example flows can name `examples/media/...`); the first that exists wins.
 */
export function resolveMediaPath(file: string, userDir: string | undefined): string {
  if (isAbsolute(file)) return file;
  const packageRoot = join(__dirname, '..', '..', '..');
  const bases = [userDir, process.cwd(), packageRoot].filter((b): b is string => !!b);
  const found = bases.map((base) => resolve(base, file)).find((path) => existsSync(path));
  return found ?? resolve(bases[0], file);
}

export class VideoSourceController {
  private source: FrameSource | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private lastStatusMs = -Infinity;
  private restarts = 0;
  private imageIndex = 0;
  private imagesDecoding = 0;
  private imagesRefused = 0;
  private readonly imageStamps = new MonotonicStamp();

  constructor(
    private readonly node: Node,
    private readonly config: VideoSourceConfig,
    private readonly userDir: string | undefined,
  ) {}

  /** Opens the source (or `file` instead of the configured one) afresh, ending any run first. */
  start(file: string | undefined, trigger?: FlowMessage): Promise<void> {
    return this.serial(async () => {
      await this.stopCurrent();
      if (this.config.sourceType === 'message') {
        throw new TypeError(
          'this source takes images in msg.payload only: it has nothing to start',
        );
      }
      const source = this.createSource(file, this.listener(trigger));
      this.source = source;
      this.node.status(status.idle(`opening ${this.label(file)}`));
      try {
        await source.start();
      } catch (err) {
        this.source = undefined;
        throw err;
      }
    });
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      const wasRunning = this.source !== undefined;
      await this.stopCurrent();
      if (!wasRunning) this.node.status(status.idle('stopped'));
    });
  }

  pause(): void {
    if (this.source === undefined) throw new Error('nothing to pause: the source is not running');
    this.source.pause();
    this.node.status(status.idle('paused'));
  }

  resume(): void {
    if (this.source === undefined) throw new Error('nothing to resume: the source is not running');
    this.source.resume();
  }

  ack(): void {
    this.source?.ack();
  }

  close(): Promise<void> {
    return this.serial(() => this.stopCurrent());
  }

  /**
   * Decodes the image in `msg.payload` into `msg.frame` and sends `msg` on (keeping `req`/`res`
   * for http-in flows). At most MAX_IMAGE_DECODES run at once; a message beyond that fails.
   */
  async sendImage(msg: FlowMessage, send: (msg: FlowMessage) => void): Promise<void> {
    if (this.imagesDecoding >= MAX_IMAGE_DECODES) {
      this.imagesRefused += 1;
      throw new Error(
        `msg.payload image refused: ${MAX_IMAGE_DECODES} images are already being decoded ` +
          `(${this.imagesRefused} refused so far)`,
      );
    }
    this.imagesDecoding += 1;
    let image;
    try {
      image = await decodeImage(msg.payload as Buffer, this.config.width);
    } catch (err) {
      throw new TypeError(`msg.payload is not an image that can be decoded: ${errorMessage(err)}`);
    } finally {
      this.imagesDecoding -= 1;
    }
    const timestampMs = this.imageStamps.next(monotonicWallMs());
    const frame: Frame = {
      ...image,
      index: this.imageIndex++,
      timestampMs,
      source:
        typeof msg.filename === 'string' && msg.filename !== '' ? msg.filename : 'msg.payload',
    };
    const topic = typeof msg.topic === 'string' && msg.topic !== '' ? msg.topic : this.config.topic;
    send(Object.assign(msg, { topic, frame }));
    this.node.status(status.ok(`image ${frame.index + 1} · ${frame.width}×${frame.height}`));
  }

  private createSource(file: string | undefined, listener: SourceListener): FrameSource {
    const config = this.config;
    if (config.input !== undefined) {
      return new LiveStream({ ...config, input: config.input }, listener);
    }
    const chosen = file ?? config.file;
    if (chosen === '') {
      const what = config.sourceType === 'images' ? 'images folder or glob' : 'file';
      throw new TypeError(`no ${what}: set the node's ${what} or msg.filename`);
    }
    if (config.sourceType === 'images') {
      const cwd = this.userDir ?? process.cwd();
      const open = () =>
        openImageSequence(chosen, cwd, {
          width: config.width,
          fps: config.imageFps,
          maxFrames: config.maxFrames,
          onSkip: (err) => listener.skipped?.(err),
        });
      return new VideoPlayback({ ...config, file: chosen, open }, listener);
    }
    return new VideoPlayback({ ...config, file: resolveMediaPath(chosen, this.userDir) }, listener);
  }

  private label(file: string | undefined): string {
    const input = this.config.input;
    if (input?.kind === 'device') return input.device;
    if (input?.kind === 'stream') return input.url.host;
    return file ?? this.config.file;
  }

  /** Starts and stops run one after the other, in the order the messages came. */
  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async stopCurrent(): Promise<void> {
    const source = this.source;
    this.source = undefined;
    await source?.stop();
  }

  private listener(trigger: FlowMessage | undefined): SourceListener {
    const origin = (): FlowMessage =>
      trigger ?? ({ topic: this.config.topic, payload: 'start' } as FlowMessage);
    return {
      start: (summary) => {
        this.node.status(status.idle(`started · ${summary.totalFrames ?? '?'} frames`));
        this.sendEvent('start', summary);
      },
      frame: (frame, summary) => this.sendFrame(frame, summary),
      end: (summary, stopped) => {
        if (!stopped && summary.failure === undefined) {
          this.node.status(status.idle(`ended · ${summary.frames} frames`));
        }
        if (stopped) this.node.status(status.idle('stopped'));
        this.sendEvent(stopped ? 'stopped' : 'end', summary);
      },
      error: (err) => {
        // A live source's red status says "failed: <reason>" (from its health), short enough
        // to read in the editor; the error names the source in full.
        if (this.config.input === undefined) this.node.status(status.error(err.message));
        // With the triggering message, Catch nodes see a failure that happens mid-stream.
        this.node.error(err.message, origin());
      },
      health: (view) => this.showHealth(view, origin),
      outage: (report) => this.sendOutage(report),
      skipped: (err) => this.node.warn(err.message),
    };
  }

  private showHealth(view: HealthView, origin: () => FlowMessage): void {
    this.restarts = view.restarts;
    if (view.state === 'connecting') this.node.status(status.idle('connecting…'));
    if (view.state === 'live') this.node.status(status.ok(this.liveText(undefined)));
    if (view.state === 'failed') this.node.status(status.error(`failed: ${view.reason ?? ''}`));
    if (view.state !== 'reconnecting') return;
    const wait = view.retryInMs === undefined ? '' : ` in ${(view.retryInMs / 1000).toFixed(1)} s`;
    this.node.status({
      fill: 'yellow',
      shape: 'ring',
      text: `reconnecting (attempt ${view.attempt})${wait} · ${view.reason ?? ''}`,
    });
    // One error per outage, at its first failure: Catch nodes hear of it, the log is not flooded.
    if (view.attempt === 1) {
      this.node.error(`${this.label(undefined)}: ${view.reason}; reconnecting`, origin());
    }
  }

  private liveText(summary: SourceSummary | undefined): string {
    const parts = ['live'];
    if (summary?.fps) parts.push(`${summary.fps.toFixed(1)} fps`);
    if (this.restarts > 0) parts.push(`${this.restarts} restart${this.restarts === 1 ? '' : 's'}`);
    if (summary?.dropped) parts.push(`${summary.dropped} dropped`);
    return parts.join(' · ');
  }

  private sendFrame(frame: Frame, summary: SourceSummary): void {
    this.node.send([{ topic: this.config.topic, frame }, null]);
    const nowMs = Date.now();
    if (nowMs - this.lastStatusMs < STATUS_INTERVAL_MS) return;
    this.lastStatusMs = nowMs;
    if (this.config.input !== undefined) {
      this.node.status(status.ok(this.liveText(summary)));
      return;
    }
    const text = `playing ${summary.frames}/${summary.totalFrames ?? '?'}`;
    const timeouts = this.source?.ackTimeouts ?? 0;
    this.node.status(
      timeouts > 0 ? status.warn(`${text} · ${timeouts} ack timeouts`) : status.ok(text),
    );
  }

  private sendEvent(event: RunEvent, summary: SourceSummary): void {
    const payload = { event, ...summary };
    this.node.send([null, { topic: this.config.topic, payload }]);
  }

  private sendOutage(report: OutageReport): void {
    const seconds = (report.durationMs / 1000).toFixed(1);
    const how = report.resumed ? 'resumed after' : 'still blind after';
    this.node.log(`${report.source}: ${how} ${seconds} s outage, ${report.restarts} restarts`);
    this.node.send([null, { topic: this.config.topic, payload: report }]);
  }
}
