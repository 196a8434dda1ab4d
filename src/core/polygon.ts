/**
 * Polygons for floor zones, in normalised frame coordinates: x and y in [0, 1] of the frame's
 * width and height, so a zone drawn once holds whatever size video-source scales the frame to.
 */

/** A point in normalised frame coordinates (0 = left / top edge, 1 = right / bottom edge). */
export interface PointNorm {
  x: number;
  y: number;
}

/** A closed polygon: the last vertex joins the first; at least 3 vertices. */
export type PolygonNorm = readonly PointNorm[];

/**
 * Whether `point` lies inside `polygon` (even-odd rule, so a self-crossing outline still has a
 * defined inside). A point exactly on an edge may fall either way.
 */
export function pointInPolygon(point: PointNorm, polygon: PolygonNorm): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const a = polygon[i];
    const b = polygon[j];
    const crosses = a.y > point.y !== b.y > point.y;
    if (crosses && point.x < ((b.x - a.x) * (point.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}
