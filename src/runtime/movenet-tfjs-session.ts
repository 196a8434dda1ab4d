/**
 * MoveNet MultiPose on tfjs (wasm backend). The frame is letterboxed into a network input whose
 * long side is configured and whose short side follows the frame's aspect (MoveNet accepts any
 * size that is a multiple of 32), then the `[1, 6, 56]` output is decoded in core.
 */
import { basename, extname } from 'node:path';
import * as converter from '@tensorflow/tfjs-converter';
import { fitLetterbox, networkSizeFor, type Letterbox, type Size } from '../core/letterbox';
import { decodeMoveNet } from '../core/movenet-decode';
import type { Frame, Pose } from '../core/types';
import type { PoseSession, ResolvedPoseSessionOptions } from './pose-session';
import { fileModelHandler, ModelFileError } from './tfjs-file-io';
import { ensureTfjsBackend, tf } from './tfjs-backend';

export class MoveNetTfjsSession implements PoseSession {
  readonly modelName: string;
  private lastInputSize: Size;
  private disposed = false;

  private constructor(
    private readonly model: converter.GraphModel,
    private readonly options: ResolvedPoseSessionOptions,
  ) {
    this.modelName = basename(options.modelPath, extname(options.modelPath));
    const side = networkSizeFor({ width: 1, height: 1 }, options.inputLongSide).width;
    this.lastInputSize = { width: side, height: side };
  }

  static async load(options: ResolvedPoseSessionOptions): Promise<MoveNetTfjsSession> {
    await ensureTfjsBackend();
    let model: converter.GraphModel;
    try {
      model = await converter.loadGraphModel(fileModelHandler(options.modelPath));
    } catch (err) {
      if (err instanceof ModelFileError) throw err;
      throw new ModelFileError(
        options.modelPath,
        `is not a loadable tfjs graph model (${String(err)})`,
      );
    }
    checkSignature(model, options.modelPath);
    return new MoveNetTfjsSession(model, options);
  }

  get inputSize(): Size {
    return { ...this.lastInputSize };
  }

  async estimate(frame: Frame): Promise<Pose[]> {
    if (this.disposed) throw new Error(`pose session ${this.modelName} was disposed`);
    const letterbox = fitLetterbox(frame, networkSizeFor(frame, this.options.inputLongSide));
    this.lastInputSize = { ...letterbox.input };
    const output = tf.tidy(() => this.model.execute(toInputTensor(frame, letterbox)) as tf.Tensor);
    let values: Float32Array;
    try {
      values = (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
    return decodeMoveNet(values, letterbox, this.options);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }
}

/**
 * Frame bytes → int32 `[1, H, W, 3]` RGB 0–255, letterboxed. Call inside `tf.tidy`. The frame's
 * Buffer is only read (tfjs copies it into its own memory).
 */
function toInputTensor(frame: Frame, letterbox: Letterbox): tf.Tensor4D {
  const bytes = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  let image: tf.Tensor3D = tf.tensor3d(bytes, [frame.height, frame.width, frame.channels], 'int32');
  if (frame.channels === 4) image = tf.slice(image, [0, 0, 0], [-1, -1, 3]);
  if (frame.channels === 1) image = tf.tile(image, [1, 1, 3]);
  const { resized, input, padLeft, padTop } = letterbox;
  let pixels: tf.Tensor3D = image;
  if (resized.width !== frame.width || resized.height !== frame.height) {
    const resizedFloat = tf.image.resizeBilinear(
      image,
      [resized.height, resized.width],
      false,
      true,
    );
    pixels = tf.cast(tf.round(resizedFloat), 'int32');
  }
  const padded = tf.pad(pixels, [
    [padTop, input.height - resized.height - padTop],
    [padLeft, input.width - resized.width - padLeft],
    [0, 0],
  ]);
  return tf.expandDims(padded, 0);
}

/** Fails early, naming the file, when a custom model is not MoveNet-shaped. */
function checkSignature(model: converter.GraphModel, path: string): void {
  const inputs = model.inputs;
  const outputs = model.outputs;
  const shape = inputs[0]?.shape;
  if (inputs.length !== 1 || inputs[0].dtype !== 'int32' || shape?.length !== 4 || shape[3] !== 3) {
    model.dispose();
    throw new ModelFileError(
      path,
      `expected one int32 input [1, H, W, 3] (MoveNet MultiPose), got ${describe(inputs)}`,
    );
  }
  if (outputs.length !== 1) {
    model.dispose();
    throw new ModelFileError(path, `expected one output [1, 6, 56], got ${describe(outputs)}`);
  }
}

function describe(infos: converter.GraphModel['inputs']): string {
  return (
    infos.map((i) => `${i.name}:${i.dtype}[${(i.shape ?? []).join(', ')}]`).join(', ') || 'none'
  );
}
