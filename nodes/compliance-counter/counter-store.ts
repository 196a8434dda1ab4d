/**
 * The counter's cameras in a Node-RED context store, so a redeploy or a restart of the runtime
 * loses no counts. Writes are batched: at most one every `intervalMs`, and one on close. What a
 * restart can lose is what the store itself has not written yet (the file store writes its cache
 * every 30 s by default and on a clean stop).
 */
import { isCameraState, type CameraState } from '../../src/core/camera-compliance';
import type { Node } from '../common/node-kit';

/**
 * The counts live in the flow's context under a key per counter node, not in the node's own
 * context: Node-RED drops a node's context when the node stops unless a context store is
 * configured, so a plain redeploy would lose the counts. The flow's context goes when the flow does.
 */
export function storeKey(nodeId: string): string {
  return `maskwatch-compliance:${nodeId}`;
}
/** At most one write a second: a write per frame would serialise every person 15 times a second. */
export const DEFAULT_WRITE_INTERVAL_MS = 1000;

export type StoredCameras = Record<string, CameraState>;

interface ContextLike {
  get(
    key: string,
    store: string | undefined,
    cb: (err: Error | null, value: unknown) => void,
  ): void;
  set(
    key: string,
    value: unknown,
    store: string | undefined,
    cb: (err?: Error | null) => void,
  ): void;
}

export class CounterStore {
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => StoredCameras) | undefined;

  constructor(
    private readonly node: Node,
    /** Context store name; undefined for the default store. */
    private readonly store: string | undefined,
    private readonly intervalMs = DEFAULT_WRITE_INTERVAL_MS,
  ) {}

  private context(): ContextLike {
    return this.node.context().flow as unknown as ContextLike;
  }

  private get key(): string {
    return storeKey(this.node.id);
  }

  /** The stored cameras; entries of another version or shape are dropped and named. */
  load(): Promise<{ cameras: StoredCameras; dropped: string[] }> {
    return new Promise((resolve, reject) => {
      this.context().get(this.key, this.store, (err, value) => {
        if (err) return reject(err);
        const cameras: StoredCameras = {};
        const dropped: string[] = [];
        const entries = typeof value === 'object' && value !== null ? Object.entries(value) : [];
        for (const [camera, state] of entries) {
          if (isCameraState(state)) cameras[camera] = state;
          else dropped.push(camera);
        }
        resolve({ cameras, dropped });
      });
    });
  }

  /** Schedules a write of what `snapshot` returns then (so the latest counts are written). */
  save(snapshot: () => StoredCameras): void {
    this.pending = snapshot;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((err: unknown) => this.node.warn(`cannot store counts: ${err}`));
    }, this.intervalMs);
  }

  /** Forgets the stored counts (the node was deleted); a scheduled save is dropped. */
  clear(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    return new Promise((resolve, reject) => {
      this.context().set(this.key, undefined, this.store, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Writes a scheduled save now; resolves once the store has taken it. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const snapshot = this.pending;
    this.pending = undefined;
    if (!snapshot) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.context().set(this.key, snapshot(), this.store, (err) =>
        err ? reject(err) : resolve(),
      );
    });
  }
}
