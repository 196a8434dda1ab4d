/**
 * Reads a video's geometry and timing with ffprobe, before any frame is decoded, so that the
 * frame reader knows the size of each raw frame and errors name the file and the reason.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { ffprobePath } from './ffmpeg-binary';

export interface VideoInfo {
  /** The file as given. */
  path: string;
  /** Display size in pixels (after the container's rotation, if any). */
  width: number;
  height: number;
  /** Average frame rate; timestamps of decoded frames are `index * 1000 / fps`. */
  fps: number;
  /** Stream (or container) duration; undefined when neither states one. */
  durationMs?: number;
  /** Number of frames stated by the container; undefined when it does not say. */
  frameCount?: number;
  codec: string;
  /** Rotation the decoder applies (degrees, counter-clockwise), 0 when none. */
  rotation: number;
}

/** ffprobe's JSON answer, only the fields used here. */
interface ProbeJson {
  streams?: {
    codec_name?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    r_frame_rate?: string;
    nb_frames?: string;
    duration?: string;
    tags?: { rotate?: string };
    side_data_list?: { rotation?: number }[];
  }[];
  format?: { duration?: string };
}

/** Upper bound on ffprobe's run time: a stalled network mount must not hang a flow forever. */
const PROBE_TIMEOUT_MS = 30_000;

export async function probeVideo(path: string): Promise<VideoInfo> {
  await assertFileExists(path);
  const json = await runFfprobe(path);
  return parseProbe(path, json);
}

async function assertFileExists(path: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`video file not found: ${path}`);
  }
  if (!info.isFile()) throw new Error(`${path} is not a readable video: not a regular file`);
  if (info.size === 0) throw new Error(`${path} is not a readable video: the file is empty`);
}

function runFfprobe(path: string): Promise<ProbeJson> {
  const args = [
    ...['-v', 'error', '-select_streams', 'v:0', '-of', 'json'],
    '-show_entries',
    'stream=codec_name,width,height,avg_frame_rate,r_frame_rate,nb_frames,duration' +
      ':stream_tags=rotate:stream_side_data=rotation:format=duration',
    path,
  ];
  return new Promise((resolve, reject) => {
    execFile(ffprobePath(), args, { timeout: PROBE_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${path} is not a readable video: ${reasonFrom(stderr, path, err)}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as ProbeJson);
      } catch {
        reject(new Error(`${path} is not a readable video: ffprobe printed no JSON`));
      }
    });
  });
}

/** ffprobe's last stderr line, without the path it repeats ("<path>: Invalid data ..."). */
export function reasonFrom(stderr: string, path: string, fallback: Error): string {
  const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '');
  const last = lines.at(-1);
  if (last === undefined) return fallback.message;
  return last.startsWith(`${path}: `) ? last.slice(path.length + 2) : last;
}

/** Parses "30000/1001" or "25" into frames per second; 0 when absent or "0/0". */
export function parseRate(rate: string | undefined): number {
  if (rate === undefined) return 0;
  const [num, den] = rate.split('/').map(Number);
  const value = den === undefined ? num : num / den;
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function parseProbe(path: string, json: ProbeJson): VideoInfo {
  const stream = json.streams?.[0];
  if (!stream || !stream.width || !stream.height) {
    throw new Error(`${path} is not a readable video: it has no video stream`);
  }
  const fps = parseRate(stream.avg_frame_rate) || parseRate(stream.r_frame_rate);
  if (fps === 0) throw new Error(`${path} is not a readable video: its frame rate is unknown`);
  const rotation = rotationOf(stream);
  const quarterTurn = Math.abs(rotation) % 180 === 90;
  const seconds = Number(stream.duration ?? json.format?.duration);
  const frames = Number(stream.nb_frames);
  return {
    path,
    width: quarterTurn ? stream.height : stream.width,
    height: quarterTurn ? stream.width : stream.height,
    fps,
    durationMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined,
    frameCount: Number.isInteger(frames) && frames > 0 ? frames : undefined,
    codec: stream.codec_name ?? 'unknown',
    rotation,
  };
}

function rotationOf(stream: NonNullable<ProbeJson['streams']>[number]): number {
  const fromSideData = stream.side_data_list?.find((d) => typeof d.rotation === 'number');
  if (fromSideData?.rotation !== undefined) return fromSideData.rotation;
  const fromTag = Number(stream.tags?.rotate);
  return Number.isFinite(fromTag) ? fromTag : 0;
}
