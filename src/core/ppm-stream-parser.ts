/**
 * Cuts a stream of binary PPM images (P6, 8-bit RGB), as `ffmpeg -f image2pipe -c:v ppm` writes
 * them, into frames. Each image states its own size in its header, so a live source needs no
 * probe before its first frame and a camera that changes resolution mid-stream keeps working.
 *
 * Memory is bounded whatever the bytes are: a header longer than `MAX_HEADER_BYTES` or an image
 * larger than `maxFrameBytes` is an error, and at most one partial image is held.
 * Pure: no I/O; the caller feeds chunks in and receives frames out.
 */

export interface PpmImage {
  width: number;
  height: number;
  /** `width * height * 3` RGB bytes, a Buffer of its own (the caller may keep it). */
  data: Buffer;
}

/** "P6", whitespace, width, height, maxval 255, one whitespace byte: well under 40 bytes. */
export const MAX_HEADER_BYTES = 64;
/** 8K UHD RGB: no camera a site has sends more; anything bigger is taken as corrupt output. */
export const DEFAULT_MAX_FRAME_BYTES = 7680 * 4320 * 3;

const HEADER = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/;
const MAGIC = 'P6';

export class PpmStreamParser {
  private header = Buffer.alloc(0);
  private body: Buffer | undefined;
  private bodyBytes = 0;
  private width = 0;
  private height = 0;

  constructor(readonly maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 3) {
      throw new RangeError(`maxFrameBytes must be an integer ≥ 3, got ${maxFrameBytes}`);
    }
  }

  /** True when the last byte fed ended an image exactly (no partial header or body held). */
  get atBoundary(): boolean {
    return this.body === undefined && this.header.length === 0;
  }

  /** Bytes held for the image in progress; never more than the header bound or one frame. */
  get heldBytes(): number {
    return this.header.length + this.bodyBytes;
  }

  /** Feeds `chunk`; returns the images it completed, in order. Throws on a malformed stream. */
  push(chunk: Buffer): PpmImage[] {
    const images: PpmImage[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      offset = this.body === undefined ? this.readHeader(chunk, offset) : offset;
      if (this.body === undefined) break;
      const take = Math.min(this.body.length - this.bodyBytes, chunk.length - offset);
      chunk.copy(this.body, this.bodyBytes, offset, offset + take);
      this.bodyBytes += take;
      offset += take;
      if (this.bodyBytes === this.body.length) {
        images.push({ width: this.width, height: this.height, data: this.body });
        this.body = undefined;
        this.bodyBytes = 0;
      }
    }
    return images;
  }

  /** Accumulates header bytes from `chunk` at `offset`; returns the offset after what it used. */
  private readHeader(chunk: Buffer, offset: number): number {
    const room = MAX_HEADER_BYTES - this.header.length;
    const piece = chunk.subarray(offset, offset + room);
    const candidate = Buffer.concat([this.header, piece]);
    const text = candidate.toString('latin1');
    if (!text.startsWith(MAGIC.slice(0, Math.min(text.length, MAGIC.length)))) {
      throw new Error(`not a PPM stream: expected "P6", got ${JSON.stringify(text.slice(0, 8))}`);
    }
    const match = HEADER.exec(text);
    if (match === null) {
      if (candidate.length >= MAX_HEADER_BYTES) {
        throw new Error(`PPM header longer than ${MAX_HEADER_BYTES} bytes`);
      }
      this.header = candidate;
      return offset + piece.length;
    }
    this.startBody(Number(match[1]), Number(match[2]), Number(match[3]));
    const used = match[0].length - this.header.length;
    this.header = Buffer.alloc(0);
    return offset + used;
  }

  private startBody(width: number, height: number, maxval: number): void {
    if (maxval !== 255) throw new Error(`PPM maxval must be 255 (8-bit), got ${maxval}`);
    const bytes = width * height * 3;
    if (width < 1 || height < 1 || bytes > this.maxFrameBytes) {
      throw new RangeError(
        `PPM image ${width}×${height} is outside 1 … ${this.maxFrameBytes} bytes of RGB`,
      );
    }
    this.width = width;
    this.height = height;
    this.body = Buffer.allocUnsafe(bytes);
    this.bodyBytes = 0;
  }
}
