/**
 * A pose model in ONNX Runtime. The frame is letterboxed (src/core/letterbox.ts for the geometry,
 * sharp for the pixels), fed in the model family's layout, and the outputs are decoded in core.
 * The ONNX Runtime session itself comes from the shared cache: every user of the same model file
 * and engine settings shares one, released when the last user disposes.
 */
import { basename, extname } from 'node:path';
import * as ort from 'onnxruntime-node';
import { fitLetterbox, type Size } from '../core/letterbox';
import { mergeTilePoses, poseFromTile, tileRegions, type Tile } from '../core/pose-tiles';
import type { Frame, Pose } from '../core/types';
import { letterboxPixels } from './letterbox-image';
import { acquireOrtSession, type ExecutionProvider, type OrtLease } from './ort-session-cache';
import { layoutAdapter, type LayoutAdapter } from './pose-model-layouts';
import type { PoseSession, ResolvedPoseSessionOptions } from './pose-session';

export class OnnxPoseSession implements PoseSession {
  readonly modelName: string;
  private lastInputSize: Size;
  private disposed = false;

  private constructor(
    private readonly lease: OrtLease,
    private readonly adapter: LayoutAdapter,
    private readonly options: ResolvedPoseSessionOptions,
  ) {
    this.modelName = basename(options.modelPath, extname(options.modelPath));
    this.lastInputSize = adapter.inputSize({ width: 1, height: 1 }, options.inputLongSide);
  }

  static async load(options: ResolvedPoseSessionOptions): Promise<OnnxPoseSession> {
    const lease = await acquireOrtSession(
      options.modelPath,
      { executionProvider: options.executionProvider, threads: options.threads },
      options.warn,
    );
    try {
      const adapter = layoutAdapter(options.layout, lease.session, lease.path, ort.Tensor);
      return new OnnxPoseSession(lease, adapter, options);
    } catch (err) {
      await lease.release();
      throw err;
    }
  }

  get inputSize(): Size {
    return { ...this.lastInputSize };
  }

  /** The provider inference runs on (cpu after a CUDA fallback). */
  get executionProvider(): ExecutionProvider {
    return this.lease.executionProvider;
  }

  async estimate(frame: Frame): Promise<Pose[]> {
    if (this.disposed) throw new Error(`pose session ${this.modelName} was disposed`);
    if (this.options.tiles <= 1) return this.estimateRegion(frame);
    const tiles = tileRegions(frame, this.options.tiles);
    const poses: Pose[] = [];
    // One tile after another: the session's threads already use the cores.
    for (const tile of tiles) {
      for (const pose of await this.estimateRegion(frame, tile))
        poses.push(poseFromTile(pose, tile));
    }
    return mergeTilePoses(poses);
  }

  /** Poses of the whole frame, or of one tile in the tile's own pixels. */
  private async estimateRegion(frame: Frame, tile?: Tile): Promise<Pose[]> {
    const area = tile ?? frame;
    const size = { width: area.width, height: area.height };
    const input = this.adapter.inputSize(size, this.options.inputLongSide);
    const letterbox = fitLetterbox(size, input);
    this.lastInputSize = { ...input };
    const pixels = await letterboxPixels(frame, letterbox, tile);
    const results = await this.lease.session.run(this.adapter.feeds(pixels, input));
    return this.adapter.decode(results, letterbox, this.options);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // The shared session goes when its last user releases it; nothing here waits for that.
    void this.lease.release();
  }
}
