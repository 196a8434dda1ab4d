/**
 * video-source: decodes a video file into `msg.frame` messages (output 1) and reports the start
 * and end of each run (output 2). Pacing is real time (media fps) or ack (the next frame leaves
 * when the chain acknowledges the previous one, or when the ack times out).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Frame } from '../../src/core/types';
import {
  integerAtLeast,
  nonEmptyString,
  numberInRange,
  oneOf,
  orDefault,
} from '../../src/core/validate';
import {
  VideoPlayback,
  type Pacing,
  type PlaybackListener,
  type PlaybackSummary,
} from '../../src/runtime/video-playback';
import {
  errorMessage,
  onInput,
  status,
  type FlowMessage,
  type Node,
  type NodeAPI,
  type NodeDef,
} from '../common/node-kit';

interface VideoSourceDef extends NodeDef {
  file?: string;
  topic?: string;
  width?: string | number;
  maxFrames?: string | number;
  pacing?: string;
  inFlight?: string | number;
  ackTimeout?: string | number;
  startOnDeploy?: boolean;
  loop?: boolean;
}

interface VideoSourceConfig {
  /** Empty when every start brings its own `msg.filename`. */
  file: string;
  topic: string;
  width: number;
  maxFrames: number;
  pacing: Pacing;
  maxInFlight: number;
  ackTimeoutMs: number;
  startOnDeploy: boolean;
  loop: boolean;
}

const PACINGS: readonly Pacing[] = ['realtime', 'ack'];
const DEFAULT_ACK_TIMEOUT_S = 10;
/** Output width when the config has none: the size the pose models were measured at. */
const DEFAULT_WIDTH = 640;
/** Status text changes at most this often: a per-frame status would flood the editor. */
const STATUS_INTERVAL_MS = 250;

function parseConfig(def: VideoSourceDef): VideoSourceConfig {
  const file = typeof def.file === 'string' ? def.file.trim() : '';
  const startOnDeploy = def.startOnDeploy === true;
  if (startOnDeploy) nonEmptyString('file (needed to start on deploy)', file);
  const ackTimeoutS = numberInRange(
    'ackTimeout',
    orDefault(def.ackTimeout, DEFAULT_ACK_TIMEOUT_S),
    0.01,
    86_400,
  );
  return {
    file,
    topic: String(orDefault(def.topic, orDefault(def.name, 'camera'))),
    width: integerAtLeast('width', orDefault(def.width, DEFAULT_WIDTH), 0),
    maxFrames: integerAtLeast('maxFrames', orDefault(def.maxFrames, 0), 0),
    pacing: oneOf('pacing', orDefault(def.pacing, 'realtime'), PACINGS),
    maxInFlight: integerAtLeast('inFlight', orDefault(def.inFlight, 1), 1),
    ackTimeoutMs: ackTimeoutS * 1000,
    startOnDeploy,
    loop: def.loop === true,
  };
}

type Command = 'start' | 'stop' | 'next';
const COMMANDS: readonly Command[] = ['start', 'stop', 'next'];

/** The command a message carries: `msg.ack === true`, else `msg.command`, else `msg.payload`. */
function commandOf(msg: FlowMessage): Command {
  if (msg.ack === true) return 'next';
  const value = typeof msg.command === 'string' ? msg.command : msg.payload;
  if (typeof value === 'string' && COMMANDS.includes(value.trim() as Command)) {
    return value.trim() as Command;
  }
  throw new TypeError(
    `msg.payload (or msg.command) must be one of start / stop / next, or msg.ack true, got ` +
      `${JSON.stringify(value)?.slice(0, 40)}`,
  );
}

/**
 * A relative path is looked up in the Node-RED user directory, the working directory and this
 * package (so example flows can name `examples/media/...`); the first that exists wins.
 */
function resolveMediaPath(file: string, userDir: string | undefined): string {
  if (isAbsolute(file)) return file;
  const packageRoot = join(__dirname, '..', '..', '..');
  const bases = [userDir, process.cwd(), packageRoot].filter((b): b is string => !!b);
  const found = bases.map((base) => resolve(base, file)).find((path) => existsSync(path));
  return found ?? resolve(bases[0], file);
}

class VideoSourceController {
  private playback: VideoPlayback | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private lastStatusMs = -Infinity;

  constructor(
    private readonly node: Node,
    private readonly config: VideoSourceConfig,
    private readonly userDir: string | undefined,
  ) {}

  /** Plays `file` (or the configured one) from the start, ending any current run first. */
  start(file: string | undefined, trigger?: FlowMessage): Promise<void> {
    return this.serial(async () => {
      await this.stopCurrent();
      const chosen = file ?? this.config.file;
      if (chosen === '') throw new TypeError("no file: set the node's file or msg.filename");
      const path = resolveMediaPath(chosen, this.userDir);
      const playback = new VideoPlayback({ ...this.config, file: path }, this.listener(trigger));
      this.playback = playback;
      this.node.status(status.idle(`opening ${chosen}`));
      try {
        await playback.start();
      } catch (err) {
        this.playback = undefined;
        throw err;
      }
    });
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      const wasPlaying = this.playback !== undefined;
      await this.stopCurrent();
      if (!wasPlaying) this.node.status(status.idle('stopped'));
    });
  }

  ack(): void {
    this.playback?.ack();
  }

  close(): Promise<void> {
    return this.serial(() => this.stopCurrent());
  }

  /** Starts and stops run one after the other, in the order the messages came. */
  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async stopCurrent(): Promise<void> {
    const playback = this.playback;
    this.playback = undefined;
    await playback?.stop();
  }

  private listener(trigger: FlowMessage | undefined): PlaybackListener {
    return {
      start: (summary) => {
        this.node.status(status.ok(`playing 0/${summary.totalFrames ?? '?'}`));
        this.sendEvent('start', summary);
      },
      frame: (frame, summary) => this.sendFrame(frame, summary),
      end: (summary, stopped) => {
        const text = stopped ? 'stopped' : `ended · ${summary.frames} frames`;
        this.node.status(status.idle(text));
        this.sendEvent(stopped ? 'stopped' : 'end', summary);
      },
      error: (err) => {
        this.node.status(status.error(err.message));
        // With the triggering message, Catch nodes see a failure that happens mid-stream.
        this.node.error(err.message, trigger ?? { topic: this.config.topic, payload: 'start' });
      },
    };
  }

  private sendFrame(frame: Frame, summary: PlaybackSummary): void {
    this.node.send([{ topic: this.config.topic, frame }, null]);
    const nowMs = Date.now();
    if (nowMs - this.lastStatusMs < STATUS_INTERVAL_MS) return;
    this.lastStatusMs = nowMs;
    const text = `playing ${summary.frames}/${summary.totalFrames ?? '?'}`;
    const timeouts = this.playback?.ackTimeouts ?? 0;
    this.node.status(
      timeouts > 0 ? status.warn(`${text} · ${timeouts} ack timeouts`) : status.ok(text),
    );
  }

  private sendEvent(event: 'start' | 'end' | 'stopped', summary: PlaybackSummary): void {
    const payload = { event, ...summary };
    this.node.send([null, { topic: this.config.topic, payload }]);
  }
}

export = function register(RED: NodeAPI): void {
  function VideoSourceNode(this: Node, def: VideoSourceDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    let config: VideoSourceConfig;
    try {
      config = parseConfig(def);
    } catch (err) {
      node.status(status.error(errorMessage(err)));
      node.error(errorMessage(err));
      return;
    }
    const userDir = (RED.settings as { userDir?: string }).userDir;
    const controller = new VideoSourceController(node, config, userDir);
    node.status(status.idle('stopped'));

    onInput(node, async (msg) => {
      const command = commandOf(msg);
      if (command === 'next') return controller.ack();
      if (command === 'stop') return controller.stop();
      const filename =
        typeof msg.filename === 'string' && msg.filename !== '' ? msg.filename : undefined;
      await controller.start(filename, msg);
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      controller.close().then(done, done);
    });

    if (config.startOnDeploy) {
      controller.start(undefined).catch((err: unknown) => {
        node.status(status.error(errorMessage(err)));
        node.error(errorMessage(err));
      });
    }
  }
  RED.nodes.registerType('video-source', VideoSourceNode);
};
