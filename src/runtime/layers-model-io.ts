/**
 * Loads a tfjs LayersModel (model.json + weight files) from a local folder, never the network:
 * the files are read with fs and handed to tfjs through an in-memory IOHandler.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from './tfjs-backend';

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Reads `<dir>/<file>` and its weight files; errors name the file that failed. */
export async function loadLayersModelFromDir(
  dir: string,
  file = 'model.json',
): Promise<tfl.LayersModel> {
  const jsonPath = join(dir, file);
  const modelJson = JSON.parse(await readNamed(jsonPath).then(String)) as ModelJson;
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const paths = modelJson.weightsManifest.flatMap((group) => group.paths);
  const buffers = await Promise.all(paths.map((p) => readNamed(join(dir, p))));
  const weightData = concatToArrayBuffer(buffers);
  const handler = tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    weightSpecs,
    weightData,
  });
  try {
    return await tfl.loadLayersModel(handler);
  } catch (err) {
    throw new Error(`cannot build model from ${jsonPath}: ${(err as Error).message}`);
  }
}

async function readNamed(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new Error(`cannot read model file ${path}: ${(err as Error).message}`);
  }
}

function concatToArrayBuffer(buffers: Buffer[]): ArrayBuffer {
  const all = Buffer.concat(buffers);
  // Copy into a fresh ArrayBuffer: a Buffer may be a view into a larger shared pool.
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
}
