/**
 * The file side of the converter: reads a tfjs model.json with its weight shards, converts it,
 * writes the .onnx file and says what it wrote. The source files' sha256 are recorded inside the
 * ONNX model (metadata), so a shipped file names exactly what it was made from.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileModelHandler } from '../runtime/tfjs-file-io';
import { readTfjsGraph } from './tfjs-graph';
import { convertTfjsGraph, type ConvertOptions, type ConvertResult } from './tfjs-to-onnx';

export interface ConvertFileResult extends ConvertResult {
  outPath: string;
  sha256: string;
}

export async function convertModelFile(
  modelJsonPath: string,
  outPath: string,
  options: ConvertOptions = {},
): Promise<ConvertFileResult> {
  const jsonPath = resolve(modelJsonPath);
  const artifacts = await fileModelHandler(jsonPath).load!();
  const graph = readTfjsGraph(artifacts);
  const manifest = JSON.parse(await readFile(jsonPath, 'utf8')) as {
    weightsManifest: { paths: string[] }[];
  };
  const sources = [
    jsonPath,
    ...manifest.weightsManifest.flatMap((g) => g.paths).map((p) => resolve(dirname(jsonPath), p)),
  ];
  const metadata: Record<string, string> = {};
  for (const path of sources)
    metadata[`source.sha256.${basename(path)}`] = sha256(await readFile(path));
  if (graph.convertedBy) metadata['source.convertedBy'] = graph.convertedBy;
  const result = convertTfjsGraph(graph, {
    ...options,
    metadata: { ...metadata, ...options.metadata },
  });
  await writeFile(outPath, result.bytes);
  return { ...result, outPath: resolve(outPath), sha256: sha256(result.bytes) };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
