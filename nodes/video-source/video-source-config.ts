/** The video-source node's settings and message commands, kept out of the Node-RED wrapper. */
import { checkBackoff, DEFAULT_BACKOFF, type BackoffOptions } from '../../src/core/backoff';
import { parseStreamUrl } from '../../src/core/source-url';
import {
  integerAtLeast,
  nonEmptyString,
  numberInRange,
  oneOf,
  orDefault,
} from '../../src/core/validate';
import type { LiveInput, RtspTransport } from '../../src/runtime/stream-input';
import type { Pacing } from '../../src/runtime/video-playback';
import type { FlowMessage, NodeDef } from '../common/node-kit';

export type SourceType = 'file' | 'stream' | 'device' | 'images' | 'message';
export const SOURCE_TYPES: readonly SourceType[] = [
  'file',
  'stream',
  'device',
  'images',
  'message',
];

export interface VideoSourceDef extends NodeDef {
  sourceType?: string;
  file?: string;
  url?: string;
  transport?: string;
  device?: string;
  inputFormat?: string;
  videoSize?: string;
  images?: string;
  imageFps?: string | number;
  topic?: string;
  width?: string | number;
  fps?: string | number;
  maxFrames?: string | number;
  pacing?: string;
  inFlight?: string | number;
  ackTimeout?: string | number;
  startOnDeploy?: boolean;
  loop?: boolean;
  stallTimeout?: string | number;
  backoffMax?: string | number;
  maxRestarts?: string | number;
}

export interface VideoSourceCredentials {
  user?: string;
  password?: string;
}

export interface VideoSourceConfig {
  sourceType: SourceType;
  /** File path or image folder / glob; empty when every start brings `msg.filename`. */
  file: string;
  /** Live sources: what ffmpeg opens (credentials included only inside `input`). */
  input: LiveInput | undefined;
  imageFps: number;
  topic: string;
  width: number;
  /** Target frame rate, 0 = the source's own. */
  fps: number;
  maxFrames: number;
  pacing: Pacing;
  maxInFlight: number;
  ackTimeoutMs: number;
  startOnDeploy: boolean;
  loop: boolean;
  stallTimeoutMs: number;
  backoff: BackoffOptions;
  maxAttempts: number;
}

const PACINGS: readonly Pacing[] = ['realtime', 'ack'];
const TRANSPORTS: readonly RtspTransport[] = ['tcp', 'udp'];
const DEFAULT_ACK_TIMEOUT_S = 10;
/** Output width when the config has none: the size the pose models were measured at. */
const DEFAULT_WIDTH = 640;
/** A camera that sends nothing for this long is taken as dead and restarted. */
const DEFAULT_STALL_TIMEOUT_S = 10;
/** Longest wait between two reconnection attempts. */
const DEFAULT_BACKOFF_MAX_S = DEFAULT_BACKOFF.maxMs / 1000;
/** Frame rate given to a folder of images when none is set. */
const DEFAULT_IMAGE_FPS = 1;
const MAX_SECONDS = 86_400;
/** Highest target frame rate accepted: above any camera's, so a typo is caught. */
const MAX_FPS = 240;
const VIDEO_SIZE = /^\d{2,5}x\d{2,5}$/;
const INPUT_FORMAT = /^[a-z0-9_]+$/;

/** Validates the editor's fields (blank means default); the error names field, rule and value. */
export function parseVideoSourceConfig(
  def: VideoSourceDef,
  credentials: VideoSourceCredentials = {},
): VideoSourceConfig {
  const sourceType = oneOf('sourceType', orDefault(def.sourceType, 'file'), SOURCE_TYPES);
  const file = trimmed(sourceType === 'images' ? def.images : def.file);
  const startOnDeploy = def.startOnDeploy === true && sourceType !== 'message';
  if (startOnDeploy && (sourceType === 'file' || sourceType === 'images')) {
    nonEmptyString(
      `${sourceType === 'file' ? 'file' : 'images'} (needed to start on deploy)`,
      file,
    );
  }
  return {
    sourceType,
    file,
    input: liveInput(sourceType, def, credentials),
    imageFps: numberInRange('imageFps', orDefault(def.imageFps, DEFAULT_IMAGE_FPS), 0.001, MAX_FPS),
    topic: String(orDefault(def.topic, orDefault(def.name, 'camera'))),
    width: integerAtLeast('width', orDefault(def.width, DEFAULT_WIDTH), 0),
    fps: numberInRange('fps', orDefault(def.fps, 0), 0, MAX_FPS),
    maxFrames: integerAtLeast('maxFrames', orDefault(def.maxFrames, 0), 0),
    pacing: oneOf('pacing', orDefault(def.pacing, 'realtime'), PACINGS),
    maxInFlight: integerAtLeast('inFlight', orDefault(def.inFlight, 1), 1),
    ackTimeoutMs: seconds('ackTimeout', def.ackTimeout, DEFAULT_ACK_TIMEOUT_S, 0.01),
    startOnDeploy,
    loop: def.loop === true,
    stallTimeoutMs: seconds('stallTimeout', def.stallTimeout, DEFAULT_STALL_TIMEOUT_S, 0.5),
    backoff: backoffOf(def),
    maxAttempts: integerAtLeast('maxRestarts', orDefault(def.maxRestarts, 0), 0),
  };
}

function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function seconds(field: string, value: unknown, fallback: number, min: number): number {
  return numberInRange(field, orDefault(value, fallback), min, MAX_SECONDS) * 1000;
}

function backoffOf(def: VideoSourceDef): BackoffOptions {
  const maxMs = seconds('backoffMax', def.backoffMax, DEFAULT_BACKOFF_MAX_S, 0.1);
  const initialMs = Math.min(DEFAULT_BACKOFF.initialMs, maxMs);
  return checkBackoff({ ...DEFAULT_BACKOFF, initialMs, maxMs });
}

function liveInput(
  sourceType: SourceType,
  def: VideoSourceDef,
  credentials: VideoSourceCredentials,
): LiveInput | undefined {
  if (sourceType === 'device') {
    const inputFormat = trimmed(def.inputFormat);
    const videoSize = trimmed(def.videoSize);
    if (inputFormat !== '' && !INPUT_FORMAT.test(inputFormat)) {
      throw new RangeError(
        `inputFormat must be an ffmpeg pixel format name like mjpeg, got ${JSON.stringify(inputFormat)}`,
      );
    }
    if (videoSize !== '' && !VIDEO_SIZE.test(videoSize)) {
      throw new RangeError(
        `videoSize must be WIDTHxHEIGHT like 1280x720, got ${JSON.stringify(videoSize)}`,
      );
    }
    const device = nonEmptyString('device', trimmed(def.device) || '/dev/video0');
    return { kind: 'device', device, inputFormat, videoSize };
  }
  if (sourceType !== 'stream') return undefined;
  const { protocol, url } = parseStreamUrl('url', nonEmptyString('url', trimmed(def.url)));
  return {
    kind: 'stream',
    protocol,
    url,
    transport: oneOf('transport', orDefault(def.transport, 'tcp'), TRANSPORTS),
    user: credentials.user ?? '',
    password: credentials.password ?? '',
  };
}

export type Command = 'start' | 'stop' | 'pause' | 'resume' | 'next';
const COMMANDS: readonly Command[] = ['start', 'stop', 'pause', 'resume', 'next'];

/**
 * What a message asks: `image` when `msg.payload` is a Buffer (an image to decode), else the
 * command in `msg.ack === true` (next), `msg.command`, or `msg.payload`.
 */
export function commandOf(msg: FlowMessage): Command | 'image' {
  if (Buffer.isBuffer(msg.payload) && typeof msg.command !== 'string') return 'image';
  if (msg.ack === true) return 'next';
  const value = typeof msg.command === 'string' ? msg.command : msg.payload;
  if (typeof value === 'string' && COMMANDS.includes(value.trim() as Command)) {
    return value.trim() as Command;
  }
  throw new TypeError(
    `msg.payload (or msg.command) must be one of ${COMMANDS.join(' / ')}, msg.ack true, or ` +
      `an image Buffer in msg.payload, got ${JSON.stringify(value)?.slice(0, 40)}`,
  );
}
