/**
 * Loads a tfjs graph model (model.json + weight shards) from the file system. No network: the
 * files are read with fs and handed to tfjs as in-memory artifacts. Errors name the file and
 * what is wrong with it, because a user who sees them has to fix that file.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';

/** A model file that is missing, unreadable or malformed. */
export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`model file ${file}: ${problem}`);
    this.name = 'ModelFileError';
  }
}

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: object;
  userDefinedMetadata?: io.ModelArtifacts['userDefinedMetadata'];
  modelInitializer?: unknown;
}

/** An IOHandler whose `load` reads `modelJsonPath` and the weight files it names, beside it. */
export function fileModelHandler(modelJsonPath: string): io.IOHandler {
  return { load: () => loadArtifacts(resolve(modelJsonPath)) };
}

async function loadArtifacts(jsonPath: string): Promise<io.ModelArtifacts> {
  const json = parseModelJson(jsonPath, await readOrExplain(jsonPath));
  const manifest = json.weightsManifest!;
  const weightSpecs = manifest.flatMap((group) => group.weights);
  const shards: Buffer[] = [];
  for (const group of manifest) {
    for (const path of group.paths)
      shards.push(await readOrExplain(resolve(dirname(jsonPath), path)));
  }
  const weightData = concat(shards);
  const expected = expectedWeightBytes(weightSpecs);
  if (expected !== undefined && weightData.byteLength !== expected) {
    const files = manifest.flatMap((group) => group.paths).join(', ');
    throw new ModelFileError(
      resolve(dirname(jsonPath), manifest[0]?.paths[0] ?? ''),
      `weights hold ${weightData.byteLength} bytes but ${jsonPath} describes ${expected} ` +
        `(files: ${files}); the files are truncated or do not belong together`,
    );
  }
  return {
    modelTopology: json.modelTopology as io.ModelArtifacts['modelTopology'],
    weightSpecs,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    modelInitializer: json.modelInitializer as io.ModelArtifacts['modelInitializer'],
  };
}

async function readOrExplain(path: string): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ModelFileError(path, 'is not a file');
    return await readFile(path);
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelFileError(path, code === 'ENOENT' ? 'not found' : `cannot be read (${code})`);
  }
}

function parseModelJson(path: string, bytes: Buffer): ModelJson {
  let json: ModelJson;
  try {
    json = JSON.parse(bytes.toString('utf8')) as ModelJson;
  } catch (err) {
    throw new ModelFileError(path, `is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || json.modelTopology === undefined) {
    throw new ModelFileError(path, 'has no modelTopology: not a tfjs model.json');
  }
  if (!Array.isArray(json.weightsManifest) || json.weightsManifest.length === 0) {
    throw new ModelFileError(path, 'has no weightsManifest: not a tfjs model.json');
  }
  return json;
}

/**
 * Bytes the manifest describes, honouring quantisation (stored dtype, not the runtime dtype);
 * undefined when it cannot be known up front (string weights are variable-length).
 */
function expectedWeightBytes(specs: io.WeightsManifestEntry[]): number | undefined {
  const bytesPer: Record<string, number> = {
    float32: 4,
    int32: 4,
    bool: 1,
    uint8: 1,
    int8: 1,
    uint16: 2,
    int16: 2,
    float16: 2,
    complex64: 8,
  };
  let total = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const size = bytesPer[spec.quantization?.dtype ?? spec.dtype];
    if (size === undefined) return undefined;
    total += count * size;
  }
  return total;
}

function concat(buffers: Buffer[]): ArrayBuffer {
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(b, offset);
    offset += b.byteLength;
  }
  return out.buffer;
}
