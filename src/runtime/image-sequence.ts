/**
 * A folder or glob of still images played like a video: files in natural order ("img2" before
 * "img10"), one frame each at a nominal frame rate, decoded one at a time with sharp (so memory
 * holds one image whatever the folder's size). It is a FrameReader, so VideoPlayback paces,
 * loops, pauses and decimates it exactly as it does a video file.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import type { Frame } from '../core/types';
import type { FrameReader } from './ffmpeg-frame-reader';
import { decodeImage } from './image-frame';
import type { VideoInfo } from './video-probe';

/** The extensions a folder is listed for (sharp's readable still formats). */
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'gif', 'avif'];

export interface ImageSequenceOptions {
  /** Output width, aspect kept; 0 = each image's own size. */
  width: number;
  /** Nominal frames per second: image i is stamped `i × 1000 / fps`. */
  fps: number;
  /** Images per pass, 0 = all. */
  maxFrames: number;
  /** Called for an image that cannot be decoded; it is skipped and the sequence goes on. */
  onSkip?: (err: Error) => void;
}

/** The image files `pattern` names: a folder's images, or the files a glob matches. */
export async function listImages(pattern: string, cwd: string): Promise<string[]> {
  const path = resolve(cwd, pattern);
  const isFolder = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const found = isFolder
    ? await glob(`*.{${IMAGE_EXTENSIONS.join(',')}}`, {
        cwd: path,
        absolute: true,
        caseSensitiveMatch: false,
      })
    : await glob(pattern, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
  const collator = new Intl.Collator('en', { numeric: true });
  return found.sort((a, b) => collator.compare(a, b));
}

/** Lists the images and opens the sequence; rejects when nothing matches. */
export async function openImageSequence(
  pattern: string,
  cwd: string,
  options: ImageSequenceOptions,
): Promise<FrameReader> {
  if (!(options.fps > 0)) throw new RangeError(`fps must be > 0, got ${options.fps}`);
  const files = await listImages(pattern, cwd);
  if (files.length === 0) throw new Error(`no images match ${join(cwd, pattern)}`);
  const chosen = options.maxFrames > 0 ? files.slice(0, options.maxFrames) : files;
  const first = await decodeImage(chosen[0], options.width).catch((err: Error) => {
    throw new Error(`${chosen[0]} is not a readable image: ${err.message}`);
  });
  return new ImageSequenceReader(pattern, chosen, first, options);
}

class ImageSequenceReader implements FrameReader {
  readonly info: VideoInfo;
  readonly frameWidth: number;
  readonly frameHeight: number;
  framesRead = 0;
  private closed = false;

  constructor(
    pattern: string,
    private readonly files: readonly string[],
    private firstImage: Awaited<ReturnType<typeof decodeImage>> | undefined,
    private readonly options: ImageSequenceOptions,
  ) {
    this.frameWidth = firstImage!.width;
    this.frameHeight = firstImage!.height;
    this.info = {
      path: pattern,
      width: this.frameWidth,
      height: this.frameHeight,
      fps: options.fps,
      durationMs: (files.length * 1000) / options.fps,
      frameCount: files.length,
      codec: 'image',
      rotation: 0,
    };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Frame> {
    for (let index = 0; index < this.files.length && !this.closed; index += 1) {
      const image = await this.decode(index);
      if (image === undefined) continue;
      this.framesRead += 1;
      yield {
        ...image,
        index,
        timestampMs: (index * 1000) / this.options.fps,
        source: this.files[index],
      };
    }
  }

  private async decode(index: number) {
    const ready = index === 0 ? this.firstImage : undefined;
    this.firstImage = undefined;
    if (ready) return ready;
    try {
      return await decodeImage(this.files[index], this.options.width);
    } catch (err) {
      this.options.onSkip?.(
        new Error(`skipped ${this.files[index]}: not a readable image (${(err as Error).message})`),
      );
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
