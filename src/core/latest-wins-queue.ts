/**
 * Backpressure for a stage that works on one item at a time: at most one item in work and one
 * waiting. A newer item replaces the waiting one, which is dropped (its promise resolves to
 * 'dropped' so its caller can finish it) and counted. Live video wants the newest frame, not a
 * growing backlog of stale ones.
 */
export type QueueOutcome = 'done' | 'dropped';

interface Waiting<T> {
  item: T;
  resolve: (outcome: QueueOutcome) => void;
  reject: (err: unknown) => void;
}

export class LatestWinsQueue<T> {
  private busy = false;
  private waiting: Waiting<T> | undefined;
  private idleWaiters: (() => void)[] = [];
  private droppedCount = 0;

  constructor(private readonly work: (item: T) => Promise<void>) {}

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
      if (this.waiting) this.drop(this.waiting);
      this.waiting = { item, resolve, reject };
    });
  }

  /** Drops the waiting item and resolves once the item in work (if any) has finished. */
  clear(): Promise<void> {
    if (this.waiting) this.drop(this.waiting);
    this.waiting = undefined;
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
    const next = this.waiting;
    this.waiting = undefined;
    if (next) this.run(next);
    else for (const wake of this.idleWaiters.splice(0)) wake();
    settle();
  }
}
