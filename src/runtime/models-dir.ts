/**
 * Where the package's shipped models live: the `models/` folder beside `package.json`, found by
 * walking up from the compiled file (dist/src/runtime) or the source (src/runtime).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function modelsDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'models');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return join(__dirname, '..', '..', '..', 'models');
    dir = parent;
  }
}
