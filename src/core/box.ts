/** Axis-aligned box by its corners, in pixels of the frame it came from unless a name says otherwise. */
export interface BoxXYXY {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Axis-aligned box by its top-left corner and size (the MOTChallenge and annotate-image layout). */
export interface BoxXYWH {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function boxWidth(box: BoxXYXY): number {
  return box.x2 - box.x1;
}

export function boxHeight(box: BoxXYXY): number {
  return box.y2 - box.y1;
}

export function boxArea(box: BoxXYXY): number {
  return Math.max(0, box.x2 - box.x1) * Math.max(0, box.y2 - box.y1);
}

export function boxCenter(box: BoxXYXY): { x: number; y: number } {
  return { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 };
}

/** Intersection over union; 0 when either box is empty. */
export function iou(a: BoxXYXY, b: BoxXYXY): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

export function xywhToXyxy(box: BoxXYWH): BoxXYXY {
  return { x1: box.x, y1: box.y, x2: box.x + box.width, y2: box.y + box.height };
}

export function xyxyToXywh(box: BoxXYXY): BoxXYWH {
  return { x: box.x1, y: box.y1, width: box.x2 - box.x1, height: box.y2 - box.y1 };
}

/** Clips a box to the frame `[0, width] × [0, height]`. */
export function clipBox(box: BoxXYXY, width: number, height: number): BoxXYXY {
  return {
    x1: Math.min(Math.max(box.x1, 0), width),
    y1: Math.min(Math.max(box.y1, 0), height),
    x2: Math.min(Math.max(box.x2, 0), width),
    y2: Math.min(Math.max(box.y2, 0), height),
  };
}

export function isFiniteBox(box: BoxXYXY): boolean {
  return [box.x1, box.y1, box.x2, box.y2].every(Number.isFinite);
}

/**
 * The box grown by `ratio` of its width on the left and right and of its height on top and
 * bottom (ratio 0.5 doubles both sides), about the same centre.
 */
export function bufferedBox(box: BoxXYXY, ratio: number): BoxXYXY {
  const dx = (box.x2 - box.x1) * ratio;
  const dy = (box.y2 - box.y1) * ratio;
  return { x1: box.x1 - dx, y1: box.y1 - dy, x2: box.x2 + dx, y2: box.y2 + dy };
}
