/**
 * A deterministic test image that needs no file: integer arithmetic only, so the TypeScript side
 * and training/maskwatch_training/synthetic_pattern.py produce the same bytes.
 */

/** RGB bytes, row-major HWC, of pattern `index` at `width`×`height`. */
export function syntheticPattern(index: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      for (let c = 0; c < 3; c += 1) {
        // A ramp gives the network edges and flat areas; the product term gives texture.
        const ramp = x * 7 + y * 13 + c * 29 + index * 101;
        const texture = ((x * y + index * 31) % 17) * 11;
        out[(y * width + x) * 3 + c] = (ramp + texture) % 256;
      }
    }
  }
  return out;
}
