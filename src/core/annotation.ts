/**
 * Annotations in the shape the official annotate-image node reads (`msg.annotations`):
 * `{ type: 'rect', bbox: [x, y, w, h] }` or `{ x, y, w, h }`, `{ type: 'circle', x, y, r }`,
 * with optional `label`, `stroke`, `lineWidth`, `fontSize`, `fontColor`. Pixels of the frame.
 * This module turns them into an SVG overlay; entries it cannot read are skipped and counted.
 */

export interface Drawable {
  kind: 'rect' | 'circle';
  /** Rect: top-left corner and size; circle: centre and radius in `w` (h = w). */
  x: number;
  y: number;
  w: number;
  h: number;
  label?: string;
  stroke: string;
  lineWidth: number;
  fontSize: number;
  fontColor: string;
}

export interface DrawStyle {
  stroke: string;
  lineWidth: number;
  fontSize: number;
  fontColor: string;
}

/** annotate-image's own default colour, so both nodes draw alike when nothing is set. */
export const DEFAULT_DRAW_STYLE: Readonly<DrawStyle> = {
  stroke: '#ffC000',
  lineWidth: 2,
  fontSize: 14,
  fontColor: '#ffC000',
};

/** A colour a user wrote: CSS names, #rgb / #rrggbb, rgb()/rgba(); anything else is refused. */
const COLOUR = /^(#[0-9a-f]{3,8}|[a-z]{3,20}|rgba?\([\d\s.,%]+\))$/i;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function toDrawables(
  list: readonly unknown[],
  style: DrawStyle = DEFAULT_DRAW_STYLE,
): { drawables: Drawable[]; skipped: number } {
  const drawables: Drawable[] = [];
  let skipped = 0;
  for (const entry of list) {
    const d = toDrawable(entry, style);
    if (d) drawables.push(d);
    else skipped += 1;
  }
  return { drawables, skipped };
}

function toDrawable(entry: unknown, style: DrawStyle): Drawable | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const a = entry as Record<string, unknown>;
  const common = {
    label: typeof a.label === 'string' && a.label !== '' ? a.label : undefined,
    stroke: colourOr(a.stroke, style.stroke),
    lineWidth: finite(a.lineWidth) && a.lineWidth > 0 ? a.lineWidth : style.lineWidth,
    fontSize: finite(a.fontSize) && a.fontSize > 0 ? a.fontSize : style.fontSize,
    fontColor: colourOr(a.fontColor, style.fontColor),
  };
  const bbox = Array.isArray(a.bbox) && a.bbox.length === 4 && a.bbox.every(finite) ? a.bbox : null;
  const type = a.type ?? (bbox ? 'rect' : undefined);
  if (type === 'rect') {
    const [x, y, w, h] = bbox ?? [a.x, a.y, a.w, a.h];
    if (![x, y, w, h].every(finite)) return undefined;
    return { kind: 'rect', x, y, w, h, ...common } as Drawable;
  }
  if (type === 'circle') {
    const [cx, cy, r] = bbox
      ? [bbox[0] + bbox[2] / 2, bbox[1] + bbox[3] / 2, Math.min(bbox[2], bbox[3]) / 2]
      : [a.x, a.y, a.r];
    if (![cx, cy, r].every(finite)) return undefined;
    return { kind: 'circle', x: cx, y: cy, w: r, h: r, ...common } as Drawable;
  }
  return undefined;
}

function colourOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && COLOUR.test(value.trim()) ? value.trim() : fallback;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Space between a box and its label, in pixels. */
const LABEL_GAP_PX = 3;

/** An SVG the size of the frame holding every drawable; labels sit above their box if they fit. */
export function annotationsSvg(width: number, height: number, drawables: readonly Drawable[]) {
  const parts = drawables.map((d) => {
    const stroke = `fill="none" stroke="${d.stroke}" stroke-width="${d.lineWidth}"`;
    const shape =
      d.kind === 'rect'
        ? `<rect x="${d.x}" y="${d.y}" width="${d.w}" height="${d.h}" ${stroke}/>`
        : `<circle cx="${d.x}" cy="${d.y}" r="${d.w}" ${stroke}/>`;
    if (!d.label) return shape;
    const top = d.kind === 'rect' ? d.y : d.y - d.w;
    const left = d.kind === 'rect' ? d.x : d.x - d.w;
    const above = top - LABEL_GAP_PX;
    const y = above - d.fontSize >= 0 ? above : top + d.fontSize + LABEL_GAP_PX;
    const text =
      `<text x="${Math.max(0, left)}" y="${y}" font-family="sans-serif" ` +
      `font-size="${d.fontSize}" fill="${d.fontColor}">${escapeXml(d.label)}</text>`;
    return shape + text;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `${parts.join('')}</svg>`
  );
}
