/**
 * Include / exclude zones: where on the floor a person is counted. A person's place in a frame is
 * the bottom centre of their track box (where they stand), so a zone is drawn on the floor.
 * - With no include zone, the whole frame counts; with any, only points inside one of them count.
 * - A point inside an exclude zone never counts (a poster, a mirror, a staff-only desk).
 * Each include zone keeps its own count of the people seen inside it.
 */
import type { BoxXYXY } from './box';
import { pointInPolygon, type PointNorm, type PolygonNorm } from './polygon';

export type ZoneKind = 'include' | 'exclude';

export interface Zone {
  name: string;
  kind: ZoneKind;
  points: PolygonNorm;
}

/** Where a track stands in one frame. */
export interface Placement {
  /** False when the point is outside every include zone or inside an exclude zone. */
  counted: boolean;
  /** Names of the include zones that hold the point (empty when not counted). */
  zones: string[];
}

const KINDS: readonly ZoneKind[] = ['include', 'exclude'];
const MIN_VERTICES = 3;

/**
 * Parses zones from config or JSON text: `[{ name, kind, points: [[x, y], ...] }]` with x, y in
 * [0, 1]. Errors name the entry, the rule and the value.
 */
export function parseZones(value: unknown, field = 'zones'): Zone[] {
  const list = typeof value === 'string' ? parseJson(value, field) : value;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new TypeError(`${field} must be an array of zones`);
  const zones = list.map((entry, i) => parseZone(entry, `${field}[${i}]`));
  const seen = new Set<string>();
  zones.forEach((zone, i) => {
    if (seen.has(zone.name)) {
      throw new RangeError(`${field}[${i}].name must be unique, got ${JSON.stringify(zone.name)}`);
    }
    seen.add(zone.name);
  });
  return zones;
}

function parseJson(text: string, field: string): unknown {
  if (text.trim() === '') return [];
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new SyntaxError(`${field} must be JSON: ${(err as Error).message}`);
  }
}

function parseZone(entry: unknown, field: string): Zone {
  const z = entry as Partial<Record<'name' | 'kind' | 'points', unknown>> | null;
  if (typeof z !== 'object' || z === null) throw new TypeError(`${field} must be an object`);
  if (typeof z.name !== 'string' || z.name.trim() === '') {
    throw new TypeError(`${field}.name must be a non-empty string, got ${JSON.stringify(z.name)}`);
  }
  const kind = z.kind ?? 'include';
  if (!KINDS.includes(kind as ZoneKind)) {
    throw new RangeError(`${field}.kind must be include or exclude, got ${JSON.stringify(kind)}`);
  }
  if (!Array.isArray(z.points) || z.points.length < MIN_VERTICES) {
    const got = Array.isArray(z.points) ? `${z.points.length} points` : JSON.stringify(z.points);
    throw new RangeError(`${field}.points must have at least ${MIN_VERTICES} points, got ${got}`);
  }
  const points = z.points.map((p, i) => parsePoint(p, `${field}.points[${i}]`));
  return { name: z.name, kind: kind as ZoneKind, points };
}

function parsePoint(value: unknown, field: string): PointNorm {
  const p = value as unknown[];
  const inUnit = (n: unknown): n is number => typeof n === 'number' && n >= 0 && n <= 1;
  if (!Array.isArray(p) || p.length !== 2 || !inUnit(p[0]) || !inUnit(p[1])) {
    throw new RangeError(
      `${field} must be [x, y] with x and y between 0 and 1 (fractions of the frame), ` +
        `got ${JSON.stringify(value)}`,
    );
  }
  return { x: p[0], y: p[1] };
}

/** The point a zone test uses: the bottom centre of the box, normalised by the frame size. */
export function footPoint(box: BoxXYXY, frameWidth: number, frameHeight: number): PointNorm {
  return { x: (box.x1 + box.x2) / 2 / frameWidth, y: box.y2 / frameHeight };
}

export function place(zones: readonly Zone[], point: PointNorm): Placement {
  if (zones.some((z) => z.kind === 'exclude' && pointInPolygon(point, z.points))) {
    return { counted: false, zones: [] };
  }
  const includes = zones.filter((z) => z.kind === 'include');
  if (includes.length === 0) return { counted: true, zones: [] };
  const inside = includes.filter((z) => pointInPolygon(point, z.points)).map((z) => z.name);
  return { counted: inside.length > 0, zones: inside };
}

export function includeZoneNames(zones: readonly Zone[]): string[] {
  return zones.filter((z) => z.kind === 'include').map((z) => z.name);
}
