import { expect } from 'chai';
import { LatestWinsQueue } from '../../src/core/latest-wins-queue';

/** A job the test finishes by hand. */
function gate(): { promise: Promise<void>; open: () => void; fail: (e: Error) => void } {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

describe('latest-wins-queue', () => {
  it('works one item at a time and keeps only the newest waiting one', async () => {
    const started: number[] = [];
    const gates = new Map<number, ReturnType<typeof gate>>();
    const queue = new LatestWinsQueue<number>((n) => {
      started.push(n);
      const g = gate();
      gates.set(n, g);
      return g.promise;
    });
    const outcomes = [1, 2, 3, 4].map((n) => queue.submit(n));
    expect(started).to.deep.equal([1]);
    expect(await outcomes[1]).to.equal('dropped');
    expect(await outcomes[2]).to.equal('dropped');
    expect(queue.dropped).to.equal(2);
    gates.get(1)!.open();
    expect(await outcomes[0]).to.equal('done');
    expect(started).to.deep.equal([1, 4]);
    gates.get(4)!.open();
    expect(await outcomes[3]).to.equal('done');
  });

  it('keeps one waiting item per key, serving keys in the order they first waited', async () => {
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const queue = new LatestWinsQueue<string>(
      (item) => {
        started.push(item);
        const g = gate();
        gates.set(item, g);
        return g.promise;
      },
      (item) => item.split(':')[0]!,
    );
    // Camera a is in work; b waits, then a waits, then b's newer frame replaces b's older one.
    const outcomes = ['a:1', 'b:1', 'a:2', 'b:2'].map((item) => queue.submit(item));
    expect(await outcomes[1]).to.equal('dropped');
    expect(queue.dropped).to.equal(1);
    gates.get('a:1')!.open();
    expect(await outcomes[0]).to.equal('done');
    // b first waited before a:2, and b:2 took b's place without moving it.
    expect(started).to.deep.equal(['a:1', 'b:2']);
    gates.get('b:2')!.open();
    expect(await outcomes[3]).to.equal('done');
    expect(started).to.deep.equal(['a:1', 'b:2', 'a:2']);
    gates.get('a:2')!.open();
    expect(await outcomes[2]).to.equal('done');
    expect(queue.dropped).to.equal(1);
  });

  it('clear() drops the waiting item of every key', async () => {
    const g = gate();
    const queue = new LatestWinsQueue<string>(
      () => g.promise,
      (item) => item,
    );
    const running = queue.submit('a');
    const waiting = [queue.submit('b'), queue.submit('c')];
    const cleared = queue.clear();
    expect(await Promise.all(waiting)).to.deep.equal(['dropped', 'dropped']);
    g.open();
    await cleared;
    expect(await running).to.equal('done');
    expect(queue.dropped).to.equal(2);
  });

  it('rejects the submitter whose work threw and goes on with the next item', async () => {
    const gates: ReturnType<typeof gate>[] = [];
    const queue = new LatestWinsQueue<string>(() => {
      const g = gate();
      gates.push(g);
      return g.promise;
    });
    const first = queue.submit('a');
    const second = queue.submit('b');
    gates[0].fail(new Error('boom'));
    let caught: unknown;
    await first.catch((err: unknown) => (caught = err));
    expect((caught as Error).message).to.equal('boom');
    gates[1].open();
    expect(await second).to.equal('done');
  });

  it('clear() drops the waiting item and resolves when the running one ends', async () => {
    const g = gate();
    const queue = new LatestWinsQueue<number>(() => g.promise);
    const running = queue.submit(1);
    const waiting = queue.submit(2);
    let cleared = false;
    const clearing = queue.clear().then(() => (cleared = true));
    expect(await waiting).to.equal('dropped');
    await Promise.resolve();
    expect(cleared).to.equal(false);
    g.open();
    await clearing;
    expect(await running).to.equal('done');
    expect(queue.dropped).to.equal(1);
  });
});
