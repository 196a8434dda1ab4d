/**
 * How each shipped ONNX pose model is made from its tfjs source in models/: the one recipe that
 * `scripts/convert-pose-models.mjs`, the model cards and the reproduction test all use.
 */
import type { ConvertOptions } from './tfjs-to-onnx';

export interface ShippedConversion {
  /** tfjs model.json, relative to models/. */
  source: string;
  /** ONNX file written, relative to models/. */
  target: string;
  options: ConvertOptions;
  /** sha256 of `target` as shipped; the converter must reproduce it byte for byte. */
  sha256: string;
}

export const SHIPPED_CONVERSIONS: readonly ShippedConversion[] = [
  {
    source: 'movenet-multipose/movenet-multipose.json',
    target: 'movenet-multipose/movenet-multipose.onnx',
    // The weights are float16 in the source already and stay float16.
    options: {},
    sha256: 'cdab467abd9dba01d2b01872a44c7a00998911a774c9c0b9d71b571ef19d0141',
  },
  {
    source: 'posenet/posenet.json',
    target: 'posenet/posenet.onnx',
    // Exported at 385×385; any size of the form 16k + 1 works, so height and width are dynamic.
    // float32 kept: float16 weights move its outputs by 2–3 % of their range.
    options: { dynamicSize: true },
    sha256: 'c9c51f06c66e194695651452f283bcdabafa55704d537fa633581abaf7cda5d6',
  },
];
