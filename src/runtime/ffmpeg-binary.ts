/**
 * Finds the ffmpeg and ffprobe executables. Order: an explicit path in the environment
 * (MASKWATCH_FFMPEG / MASKWATCH_FFPROBE), then the system's binary on PATH (Debian's ffmpeg is
 * newer and faster than the npm one), then the static binary an optional npm package ships, so
 * that a plain `npm install` is enough to run the demo.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type FfmpegTool = 'ffmpeg' | 'ffprobe';

export interface ResolvedBinary {
  path: string;
  /** Where the path came from: the environment variable, PATH, or the npm package. */
  origin: 'env' | 'path' | 'npm';
}

const ENV_VARS: Record<FfmpegTool, string> = {
  ffmpeg: 'MASKWATCH_FFMPEG',
  ffprobe: 'MASKWATCH_FFPROBE',
};

const NPM_PACKAGES: Record<FfmpegTool, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};

const cache = new Map<FfmpegTool, ResolvedBinary>();

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(tool: FfmpegTool, envPath: string | undefined): string | undefined {
  const names = process.platform === 'win32' ? [`${tool}.exe`] : [tool];
  for (const dir of (envPath ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function fromNpmPackage(tool: FfmpegTool): string | undefined {
  try {
    // The packages are optional dependencies: absent on unsupported platforms, and their index
    // throws when the platform binary is missing.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require(NPM_PACKAGES[tool]) as { path?: unknown };
    return typeof pkg.path === 'string' && isExecutable(pkg.path) ? pkg.path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves `tool` once per process. `env` is injectable for tests; a result found with the real
 * environment is cached.
 */
export function resolveBinary(
  tool: FfmpegTool,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedBinary {
  const useCache = env === process.env;
  const cached = useCache ? cache.get(tool) : undefined;
  if (cached) return cached;
  const found = search(tool, env);
  if (useCache) cache.set(tool, found);
  return found;
}

function search(tool: FfmpegTool, env: NodeJS.ProcessEnv): ResolvedBinary {
  const explicit = env[ENV_VARS[tool]];
  if (explicit !== undefined && explicit !== '') {
    if (!isExecutable(explicit)) {
      throw new Error(`${ENV_VARS[tool]} is set to ${explicit}, which is not an executable file`);
    }
    return { path: explicit, origin: 'env' };
  }
  const onPath = findOnPath(tool, env.PATH);
  if (onPath) return { path: onPath, origin: 'path' };
  const shipped = fromNpmPackage(tool);
  if (shipped) return { path: shipped, origin: 'npm' };
  throw new Error(
    `${tool} not found: install ffmpeg (e.g. apt-get install ffmpeg), set ${ENV_VARS[tool]} ` +
      `to its path, or install the optional npm package ${NPM_PACKAGES[tool]}`,
  );
}

export function ffmpegPath(): string {
  return resolveBinary('ffmpeg').path;
}

export function ffprobePath(): string {
  return resolveBinary('ffprobe').path;
}
