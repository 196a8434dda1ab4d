/**
 * ffmpeg input options for each kind of live source, and the name the source goes by in
 * messages (never with its credentials).
 */
import { redactUrl, withCredentials, type StreamProtocol } from '../core/source-url';

export type RtspTransport = 'tcp' | 'udp';

export interface StreamInput {
  kind: 'stream';
  protocol: StreamProtocol;
  /** Without credentials. */
  url: URL;
  /** RTSP only: TCP interleaved (through NAT and firewalls) or UDP (lower latency, may lose). */
  transport: RtspTransport;
  user: string;
  password: string;
}

export interface DeviceInput {
  kind: 'device';
  /** A V4L2 device such as /dev/video0. */
  device: string;
  /** Pixel format asked of the camera (mjpeg, yuyv422, ...); '' = the driver's default. */
  inputFormat: string;
  /** Capture size asked of the camera, "1280x720"; '' = the driver's default. */
  videoSize: string;
}

export type LiveInput = StreamInput | DeviceInput;

/** `ffmpeg` options up to and including `-i <input>`. */
export function ffmpegInputArgs(input: LiveInput): string[] {
  if (input.kind === 'device') {
    const args = ['-f', 'v4l2'];
    if (input.inputFormat !== '') args.push('-input_format', input.inputFormat);
    if (input.videoSize !== '') args.push('-video_size', input.videoSize);
    return [...args, '-i', input.device];
  }
  const url = withCredentials(input.url, input.user, input.password);
  if (input.protocol === 'rtsp') return ['-rtsp_transport', input.transport, '-i', url];
  return ['-i', url];
}

/** The source as `msg.frame.source` and every message name it. */
export function sourceName(input: LiveInput): string {
  return input.kind === 'device' ? input.device : redactUrl(input.url);
}

/** What stderr lines must never show. */
export function secretsOf(input: LiveInput): string[] {
  return input.kind === 'stream' && input.password !== '' ? [input.password] : [];
}
