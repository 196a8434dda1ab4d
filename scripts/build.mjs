// Compiles the TypeScript sources to dist/ and places each node's .html and locales/ beside its
// compiled .js, where Node-RED (and the Flow Library scorecard) look for them.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

const nodesDir = join(root, 'nodes');
for (const name of readdirSync(nodesDir)) {
  const from = join(nodesDir, name);
  const to = join(root, 'dist', 'nodes', name);
  for (const entry of readdirSync(from)) {
    if (entry.endsWith('.html') || entry === 'locales') {
      cpSync(join(from, entry), join(to, entry), { recursive: true });
    }
  }
}
// Node-RED resolves a node's icons from the package's top-level icons/ folder; nothing to copy.
if (!existsSync(join(root, 'icons'))) throw new Error('icons/ folder is missing');
