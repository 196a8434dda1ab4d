import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { liveChildren, register, terminate } from '../../src/runtime/child-registry';
import { sleep, until } from '../support/processes';

/** A shell that ignores SIGTERM, as an ffmpeg stuck in a kernel call would. */
function stubborn() {
  const child = spawn('sh', ['-c', 'trap "" TERM; echo ready; sleep 30'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { child: register(child), ready };
}

describe('child-registry', function () {
  this.timeout(20_000);

  it('lists a child while it runs and forgets it once it has exited', async () => {
    const child = register(spawn('sleep', ['5']));
    expect(liveChildren().map((c) => c.pid)).to.include(child.pid);
    await terminate(child, 1000);
    expect(liveChildren().map((c) => c.pid)).not.to.include(child.pid);
    expect(child.signalCode).to.equal('SIGTERM');
  });

  it('kills with SIGKILL a child that ignores SIGTERM, after the grace period', async () => {
    const { child, ready } = stubborn();
    await ready;
    const t0 = Date.now();
    await terminate(child, 500);
    const tookMs = Date.now() - t0;
    expect(child.signalCode).to.equal('SIGKILL');
    expect(tookMs).to.be.at.least(450);
    expect(liveChildren().map((c) => c.pid)).not.to.include(child.pid);
  });

  it('is safe to call twice, and on a child that already exited', async () => {
    const child = register(spawn('true'));
    await until(() => child.exitCode !== null, 5000, 'true to exit');
    await Promise.all([terminate(child), terminate(child)]);
    expect(child.exitCode).to.equal(0);
  });

  it('resolves at once for a child that never started', async () => {
    const child = register(spawn('/nonexistent/ffmpeg'));
    child.on('error', () => undefined);
    await sleep(50);
    await terminate(child);
    expect(child.pid).to.equal(undefined);
  });
});
