/** The annotate-frame node's settings. */
import { integerAtLeast, numberInRange, orDefault } from '../../src/core/validate';
import type { NodeDef } from '../common/node-kit';

export interface AnnotateFrameDef extends NodeDef {
  blurFaces?: boolean;
  quality?: string | number;
  property?: string;
  lineWidth?: string | number;
  fontSize?: string | number;
}

export interface AnnotateFrameConfig {
  blurFaces: boolean;
  quality: number;
  /** Message property that receives the JPEG ("payload" → msg.payload). */
  property: string;
  lineWidth: number;
  fontSize: number;
}

/** JPEG quality of the annotated picture: sharp's default, a good size for a live view. */
export const DEFAULT_QUALITY = 80;
const DEFAULT_LINE_WIDTH = 2;
const DEFAULT_FONT_SIZE = 14;
/** A property path Node-RED's own nodes accept: dotted names only. */
const PROPERTY_PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

export function parseAnnotateFrameConfig(def: AnnotateFrameDef): AnnotateFrameConfig {
  const property = String(orDefault(def.property, 'payload')).trim();
  if (!PROPERTY_PATH.test(property)) {
    throw new RangeError(`property must be a message property such as payload, got "${property}"`);
  }
  return {
    // Faces are blurred unless the user turns it off: no face leaves the node by default.
    blurFaces: def.blurFaces !== false,
    quality: integerAtLeast('quality', orDefault(def.quality, DEFAULT_QUALITY), 1),
    property,
    lineWidth: numberInRange('lineWidth', orDefault(def.lineWidth, DEFAULT_LINE_WIDTH), 0.5, 50),
    fontSize: numberInRange('fontSize', orDefault(def.fontSize, DEFAULT_FONT_SIZE), 4, 200),
  };
}
