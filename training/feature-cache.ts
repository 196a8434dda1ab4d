/**
 * Backbone features of every (image, view) pair, computed once and appended to
 * training/cache/<key>/ (gitignored): `features.f32` rows of 1280 floats and `keys.txt` one key per
 * row. A rerun with the same backbone and input size reuses every row it finds.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';

export class FeatureCache {
  private readonly rows = new Map<string, Float32Array>();
  private readonly featuresFile: string;
  private readonly keysFile: string;

  constructor(
    dir: string,
    private readonly width: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.featuresFile = join(dir, 'features.f32');
    this.keysFile = join(dir, 'keys.txt');
    this.load();
  }

  get(key: string): Float32Array | undefined {
    return this.rows.get(key);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Appends rows; keys and features are written in the same order so a crash loses only a tail. */
  add(entries: { key: string; features: Float32Array }[]): void {
    const floats = new Float32Array(entries.length * this.width);
    entries.forEach((e, i) => floats.set(e.features, i * this.width));
    appendFileSync(this.featuresFile, Buffer.from(floats.buffer));
    appendFileSync(this.keysFile, entries.map((e) => `${e.key}\n`).join(''));
    for (const e of entries) this.rows.set(e.key, e.features);
  }

  private load(): void {
    if (!existsSync(this.keysFile) || !existsSync(this.featuresFile)) return;
    const keys = readFileSync(this.keysFile, 'utf8').split('\n').filter(Boolean);
    const bytes = readFileSync(this.featuresFile);
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const complete = Math.min(keys.length, Math.floor(floats.length / this.width));
    // A run stopped between the two appends leaves extra rows or keys: drop the unmatched tail.
    truncateSync(this.featuresFile, complete * this.width * 4);
    if (keys.length !== complete) {
      truncateSync(this.keysFile, keys.slice(0, complete).join('\n').length + (complete ? 1 : 0));
    }
    for (let i = 0; i < complete; i += 1) {
      this.rows.set(keys[i] as string, floats.slice(i * this.width, (i + 1) * this.width));
    }
  }
}
