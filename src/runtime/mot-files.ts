/**
 * MOT text files on disk: read with the file named in every error, written atomically enough for
 * a CLI (whole file at once, folders created).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatMot, type MotRow, parseMot } from '../core/mot-format';

export function readMotFile(path: string): MotRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT' ? `MOT file not found: ${path}` : `cannot read MOT file ${path}: ${code}`,
    );
  }
  return parseMot(text, path);
}

export function writeMotFile(path: string, rows: readonly MotRow[]): void {
  const full = resolve(path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, formatMot(rows));
}
