/**
 * End to end on the corridor demo clip (one person, wearing a mask): the example flow deployed in
 * a real Node-RED runtime, and the `maskwatch run` command, must both count one masked person.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect, helper, useNodeRed, waitForLength, type Msg } from '../support/flow-harness';
import { demoClip, NO_CLIP_REASON, repoRoot } from '../support/demo-media';

const EXAMPLE = 'count-mask-compliance-in-a-video-file.json';
/**
 * The whole clip through pose, tracking and classification takes ~30 s on a quiet 2-core CPU; the
 * limit leaves room for a machine that is busy with other work.
 */
const RUN_TIMEOUT_MS = 480_000;

const coreNodes = [
  'common/20-inject',
  'common/25-catch',
  'common/90-comment',
  'function/15-change',
  'function/rbe',
].map(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (name) => require(`@node-red/nodes/core/${name}.js`),
);
const maskwatchNodes = Object.values(
  (
    JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
      'node-red': { nodes: Record<string, string> };
    }
  )['node-red'].nodes,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
).map((file) => require(join(repoRoot(), file)));

interface Summary {
  people: number;
  mask: number;
  no_mask: number;
  incorrect: number;
  unknown: number;
  complianceRate: number | null;
}

/** The example flow with its debug nodes swapped for helper nodes the test can listen to. */
function exampleFlow(): Record<string, unknown>[] {
  const flow = JSON.parse(readFileSync(join(repoRoot(), 'examples', EXAMPLE), 'utf8')) as Record<
    string,
    unknown
  >[];
  return flow.map((node) => (node.type === 'debug' ? { ...node, type: 'helper' } : node));
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'bin', 'maskwatch.js'), ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('corridor demo, end to end', function () {
  this.timeout(RUN_TIMEOUT_MS);
  let clip: string;

  before(function () {
    const found = demoClip('corridor-masked-person');
    if (found === undefined) {
      console.warn(`    skipped: ${NO_CLIP_REASON}`);
      this.skip();
    }
    clip = found;
  });

  describe('the example flow in Node-RED', () => {
    useNodeRed();

    it('counts one person, wearing a mask, by the end of the clip, and again when replayed', async () => {
      await helper.load([...coreNodes, ...maskwatchNodes], exampleFlow());
      const events = collect(helper.getNode('deb0g0events0001') as never);
      const summaries = collect(helper.getNode('deb0g0summary001') as never);
      const errors = collect(helper.getNode('deb0g0errors0001') as never);
      await waitForLength(events, 2, RUN_TIMEOUT_MS - 10_000);
      const [start, end] = events.map((m: Msg) => m.payload as { event: string; frames: number });
      expect(start!.event).to.equal('start');
      expect(end).to.include({ event: 'end', frames: 85 });
      expect(errors.map((m) => (m.error as { message: string }).message)).to.deep.equal([]);
      const onePerson: Summary = {
        people: 1,
        mask: 1,
        no_mask: 0,
        incorrect: 0,
        unknown: 0,
        complianceRate: 1,
      };
      expect(summaries.at(-1)!.payload as Summary).to.deep.equal(onePerson);

      // The start button plays the clip again: the tracker takes frame 0 as a new run, and the
      // counts start afresh, so the second run ends where the first did.
      helper.getNode('1nject0start0001').receive({});
      await waitForLength(events, 4, RUN_TIMEOUT_MS - 10_000);
      expect(events[3]!.payload).to.include({ event: 'end', frames: 85 });
      expect(errors.map((m) => (m.error as { message: string }).message)).to.deep.equal([]);
      expect(summaries.at(-1)!.payload as Summary).to.deep.equal(onePerson);
    });
  });

  describe('maskwatch run --json', () => {
    it('reports one person with verdict mask and the documented fields', async () => {
      const { code, stdout, stderr } = await runCli(['run', clip, '--json']);
      expect(code, stderr).to.equal(0);
      const summary = JSON.parse(stdout) as {
        frames: number;
        fps: number;
        people: { trackId: number; firstFrame: number; lastFrame: number; verdict: string }[];
        counts: Summary;
        complianceRate: number;
      };
      expect(summary.frames).to.equal(85);
      expect(summary.fps).to.be.greaterThan(0);
      expect(summary.counts).to.include({ people: 1, mask: 1, no_mask: 0, unknown: 0 });
      expect(summary.complianceRate).to.equal(1);
      const [person] = summary.people;
      expect(person!.verdict).to.equal('mask');
      // The person walks in excerpt frames 0–79 (see examples/media/SOURCE.md).
      expect(person!.firstFrame).to.be.at.most(25);
      expect(person!.lastFrame).to.be.within(60, 84);
    });

    it('fails a mistyped pose model name before reading the video, listing the shipped ones', async () => {
      const { code, stdout, stderr } = await runCli(['run', clip, '--pose-model', 'posenett']);
      expect(code).to.equal(1);
      expect(stdout).to.equal('');
      expect(stderr).to.match(
        /^maskwatch: --pose-model: "posenett" is no shipped pose model \(movenet-multipose, posenet, movenet-multipose-tfjs\) and no file .*posenett exists\n$/,
      );
    });

    it('fails with a one-line message naming a missing file', async () => {
      const { code, stdout, stderr } = await runCli(['run', 'no/such/clip.mp4', '--json']);
      expect(code).to.equal(1);
      expect(stdout).to.equal('');
      expect(stderr).to.match(/^maskwatch: video file not found: .*no\/such\/clip\.mp4\n$/);
    });
  });
});
