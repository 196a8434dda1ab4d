import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../../src/core/types';
import videoSourceNode from '../../nodes/video-source/video-source';
import { demoClip, NO_CLIP_REASON } from '../support/demo-media';
import {
  callsOf,
  catchNode,
  collect,
  helper,
  statusesOf,
  useNodeRed,
  waitForLength,
  type Msg,
  type TestNode,
} from '../support/flow-harness';

/** video-source has two outputs: frames, and run events. */
function flow(config: Record<string, unknown>): object[] {
  return [
    { id: 'tab', type: 'tab' },
    {
      id: 'vs',
      z: 'tab',
      type: 'video-source',
      name: 'camera',
      ...config,
      wires: [['frames'], ['events']],
    },
    { id: 'frames', z: 'tab', type: 'helper' },
    { id: 'events', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: ['vs'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
}

async function load(config: Record<string, unknown>) {
  await helper.load([videoSourceNode, catchNode], flow(config));
  const node = (id: string) => helper.getNode(id) as unknown as TestNode;
  return {
    vs: node('vs'),
    frames: collect(node('frames')),
    events: collect(node('events')),
    caught: collect(node('caught')),
  };
}

const errorText = (msg: Msg): string => (msg.error as { message: string }).message;

describe('video-source node', function () {
  this.timeout(30_000);
  useNodeRed();
  let clip: string;

  before(function () {
    const found = demoClip('corridor-masked-person');
    if (found === undefined) {
      console.warn(`      skipped: ${NO_CLIP_REASON}`);
      this.skip();
    }
    clip = found;
  });

  it('plays a file on "start" and emits decoded frames, then start and end events', async () => {
    const { vs, frames, events } = await load({
      file: clip,
      topic: 'corridor',
      maxFrames: 5,
      pacing: 'ack',
      ackTimeout: 0.05,
    });
    vs.receive({ payload: 'start' });
    await waitForLength(events, 2);
    expect(events.map((m) => (m.payload as { event: string }).event)).to.deep.equal([
      'start',
      'end',
    ]);
    expect(frames).to.have.length(5);
    const first = frames[0]!.frame as Frame;
    expect(frames[0]!.topic).to.equal('corridor');
    expect([first.width, first.height, first.channels]).to.deep.equal([640, 360, 3]);
    expect(first.data.length).to.equal(640 * 360 * 3);
    expect(frames.map((m) => (m.frame as Frame).index)).to.deep.equal([0, 1, 2, 3, 4]);
    // 15 fps media time: frame k starts at k / 15 s.
    expect((frames[4]!.frame as Frame).timestampMs).to.be.closeTo(4000 / 15, 1);
    expect(events[1]!.payload).to.include({ event: 'end', frames: 5, fps: 15, width: 640 });
  });

  it('takes the file from msg.filename and scales to the configured width', async () => {
    const { vs, frames, events } = await load({
      width: 320,
      maxFrames: 2,
      pacing: 'ack',
      ackTimeout: 0.05,
    });
    vs.receive({ payload: 'start', filename: clip });
    await waitForLength(events, 2);
    const frame = frames[0]!.frame as Frame;
    expect([frame.width, frame.height]).to.deep.equal([320, 180]);
  });

  it('fails a start with a missing file through the Catch node and a red status, and plays the next', async () => {
    const { vs, caught, events } = await load({ maxFrames: 1, pacing: 'ack', ackTimeout: 0.05 });
    vs.receive({ payload: 'start', filename: 'no/such/video.mp4' });
    await waitForLength(caught, 1);
    expect(errorText(caught[0]!)).to.match(/video file not found: .*no\/such\/video\.mp4/);
    expect(statusesOf(vs).at(-1)!.fill).to.equal('red');
    vs.receive({ payload: 'start', filename: clip });
    await waitForLength(events, 2);
    expect(statusesOf(vs).at(-1)!.fill).to.equal('grey');
  });

  it('fails a start on deploy with a missing file through the Catch node too', async () => {
    const { vs, caught } = await load({ file: 'no/such/video.mp4', startOnDeploy: true });
    await waitForLength(caught, 1);
    expect(errorText(caught[0]!)).to.match(/video file not found: .*no\/such\/video\.mp4/);
    expect(caught[0]!).to.include({ topic: 'camera', payload: 'start' });
    expect(statusesOf(vs).at(-1)!.fill).to.equal('red');
  });

  it('fails a start with a file that is not a video, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maskwatch-vs-'));
    const fake = join(dir, 'notes.mp4');
    writeFileSync(fake, 'these are meeting notes, not a video\n'.repeat(20));
    const { vs, caught } = await load({});
    vs.receive({ payload: 'start', filename: fake });
    await waitForLength(caught, 1);
    expect(errorText(caught[0]!)).to.include(fake);
  });

  it('fails a message that is no command, saying which commands exist', async () => {
    const { vs, caught } = await load({ file: clip });
    vs.receive({ payload: { frame: 'x' } });
    await waitForLength(caught, 1);
    expect(errorText(caught[0]!)).to.match(
      /must be one of start \/ stop \/ pause \/ resume \/ next/,
    );
  });

  it('does not start with a negative frame limit', async () => {
    const { vs } = await load({ file: clip, maxFrames: -1 });
    expect(callsOf(vs, 'error')).to.deep.equal(['maxFrames must be an integer ≥ 0, got -1']);
    expect(vs.listenerCount('input')).to.equal(0);
  });
});
