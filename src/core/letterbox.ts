/**
 * Letterboxing: fitting a frame of any aspect into a network input without distorting it. The
 * frame is scaled by one factor to fit, centred, and the rest of the input is padding. Network
 * sizes are multiples of {@link NETWORK_STRIDE} because MoveNet (like most pose backbones) halves
 * its feature maps five times; other sizes are rejected by the graph or silently cropped.
 */

/** Output stride of the backbone; network input sides must be multiples of it. */
export const NETWORK_STRIDE = 32;

export interface Size {
  width: number;
  height: number;
}

/** Where a frame sits inside the network input, in input pixels. */
export interface Letterbox {
  frame: Size;
  input: Size;
  /** Size of the scaled frame inside the input (before padding). */
  resized: Size;
  /** Padding before the scaled frame (left, top); the rest of the padding goes after it. */
  padLeft: number;
  padTop: number;
}

/** Rounds `value` to the nearest multiple of the stride, never below one stride. */
export function roundToStride(value: number, stride = NETWORK_STRIDE): number {
  return Math.max(stride, Math.round(value / stride) * stride);
}

/**
 * The network input for a frame: the frame's long side becomes `longSide` (rounded to the
 * stride), the short side keeps the aspect and is rounded up to the stride, so the scaled frame
 * always fits and padding stays under one stride on that side.
 */
export function networkSizeFor(frame: Size, longSide: number): Size {
  assertSize('frame', frame);
  if (!Number.isFinite(longSide) || longSide <= 0) {
    throw new RangeError(`longSide must be a positive number, got ${longSide}`);
  }
  const long = roundToStride(longSide);
  const landscape = frame.width >= frame.height;
  const ratio = landscape ? frame.height / frame.width : frame.width / frame.height;
  const short = Math.max(
    NETWORK_STRIDE,
    Math.ceil((long * ratio) / NETWORK_STRIDE) * NETWORK_STRIDE,
  );
  return landscape ? { width: long, height: short } : { width: short, height: long };
}

/** Fits `frame` into `input` keeping its aspect, centred. */
export function fitLetterbox(frame: Size, input: Size): Letterbox {
  assertSize('frame', frame);
  assertSize('input', input);
  const scale = Math.min(input.width / frame.width, input.height / frame.height);
  // Rounded so the resized image has whole pixels; each axis keeps its own exact factor below.
  const resized = {
    width: Math.min(input.width, Math.max(1, Math.round(frame.width * scale))),
    height: Math.min(input.height, Math.max(1, Math.round(frame.height * scale))),
  };
  return {
    frame: { ...frame },
    input: { ...input },
    resized,
    padLeft: Math.floor((input.width - resized.width) / 2),
    padTop: Math.floor((input.height - resized.height) / 2),
  };
}

/** Frame pixel → network input pixel. */
export function frameToInput(box: Letterbox, x: number, y: number): { x: number; y: number } {
  return {
    x: (x * box.resized.width) / box.frame.width + box.padLeft,
    y: (y * box.resized.height) / box.frame.height + box.padTop,
  };
}

/** Network input pixel → frame pixel (the inverse of {@link frameToInput}); not clipped. */
export function inputToFrame(box: Letterbox, x: number, y: number): { x: number; y: number } {
  return {
    x: ((x - box.padLeft) * box.frame.width) / box.resized.width,
    y: ((y - box.padTop) * box.frame.height) / box.resized.height,
  };
}

function assertSize(name: string, size: Size): void {
  for (const key of ['width', 'height'] as const) {
    const v = size[key];
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${name}.${key} must be an integer ≥ 1, got ${v}`);
    }
  }
}
