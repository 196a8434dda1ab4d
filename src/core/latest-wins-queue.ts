/**
 * Backpressure for a stage that works on one item at a time: at most one item in work and one
 * waiting per key (per camera, when the key is the message's topic). A newer item replaces the
 * waiting one of its key, which is dropped (its promise resolves to 'dropped' so its caller can
 * finish it) and counted. Live video wants the newest frame, not a growing backlog of stale ones;
 * and one camera's frame must not push out another's, which would leave that camera without an
 * answer (a source paced by acknowledgements would wait out its timeout). Waiting keys are served
 * in the order they first queued, so a busy camera cannot starve a quiet one.
 */
export type QueueOutcome = 'done' | 'dropped';

interface Waiting<T> {
  item: T;
  resolve: (outcome: QueueOutcome) => void;
  reject: (err: unknown) => void;
}

export class LatestWinsQueue<T> {
  private busy = false;
  /** The waiting item of each key; a Map keeps the order keys were first added. */
  private readonly waiting = new Map<string, Waiting<T>>();
  private idleWaiters: (() => void)[] = [];
  private droppedCount = 0;

  /** `keyOf` sorts items into their own waiting slots; without it there is one slot. */
  constructor(
    private readonly work: (item: T) => Promise<void>,
    private readonly keyOf: (item: T) => string = () => '',
  ) {}

  /** Items dropped so far (replaced while waiting, or cleared). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Settles when `item` was worked on ('done'), or dropped; rejects when the work threw. */
  submit(item: T): Promise<QueueOutcome> {
    return new Promise((resolve, reject) => {
      if (!this.busy) {
        this.run({ item, resolve, reject });
        return;
      }
      const key = this.keyOf(item);
      const replaced = this.waiting.get(key);
      if (replaced) this.drop(replaced);
      // Setting an existing key keeps its place in the order.
      this.waiting.set(key, { item, resolve, reject });
    });
  }

  /** Drops the waiting items and resolves once the item in work (if any) has finished. */
  clear(): Promise<void> {
    for (const entry of this.waiting.values()) this.drop(entry);
    this.waiting.clear();
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drop(entry: Waiting<T>): void {
    this.droppedCount += 1;
    entry.resolve('dropped');
  }

  private run(entry: Waiting<T>): void {
    this.busy = true;
    this.work(entry.item).then(
      () => this.finish(() => entry.resolve('done')),
      (err: unknown) => this.finish(() => entry.reject(err)),
    );
  }

  /** Starts the waiting item before settling, so a caller reacting to 'done' sees the next one busy. */
  private finish(settle: () => void): void {
    this.busy = false;
    const first = this.waiting.entries().next();
    if (first.done) {
      for (const wake of this.idleWaiters.splice(0)) wake();
    } else {
      const [key, next] = first.value;
      this.waiting.delete(key);
      this.run(next);
    }
    settle();
  }
}
