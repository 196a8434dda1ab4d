import { expect } from 'chai';
import { commandOf, parseVideoSourceConfig } from '../../nodes/video-source/video-source-config';
import type { FlowMessage } from '../../nodes/common/node-kit';

const msg = (fields: Record<string, unknown>) => fields as FlowMessage;

describe('video-source-config', () => {
  it('reads an old file-only config as a file source with its defaults', () => {
    const config = parseVideoSourceConfig({
      id: 'a',
      type: 'video-source',
      z: 't',
      file: 'x.mp4',
      name: 'door',
    } as never);
    expect(config).to.include({
      sourceType: 'file',
      file: 'x.mp4',
      topic: 'door',
      width: 640,
      fps: 0,
      stallTimeoutMs: 10_000,
      maxAttempts: 0,
    });
    expect(config.input).to.equal(undefined);
    expect(config.backoff).to.deep.include({ initialMs: 1000, maxMs: 30_000 });
  });

  it("takes a stream's user and password from the credentials, not the flow", () => {
    const def = {
      id: 'a',
      type: 'video-source',
      z: 't',
      sourceType: 'stream',
      url: 'rtsp://cam/live',
      transport: 'udp',
    };
    const config = parseVideoSourceConfig(def as never, { user: 'ops', password: 'pw' });
    expect(config.input).to.deep.include({
      kind: 'stream',
      transport: 'udp',
      user: 'ops',
      password: 'pw',
    });
  });

  it('names the field, the rule and the value it refuses', () => {
    const base = { id: 'a', type: 'video-source', z: 't' };
    const cases: [Record<string, unknown>, string][] = [
      [
        { sourceType: 'stream', url: 'rtsp://cam/live', transport: 'sctp' },
        'transport must be one of tcp / udp, got "sctp"',
      ],
      [
        { sourceType: 'device', videoSize: '1280*720' },
        'videoSize must be WIDTHxHEIGHT like 1280x720, got "1280*720"',
      ],
      [{ sourceType: 'stream' }, 'url must be a non-empty string, got ""'],
      [{ fps: 500 }, 'fps must be between 0 and 240, got 500'],
      [
        { sourceType: 'images', startOnDeploy: true },
        'images (needed to start on deploy) must be a non-empty string, got ""',
      ],
      [{ maxRestarts: 1.5 }, 'maxRestarts must be an integer ≥ 0, got 1.5'],
    ];
    for (const [fields, message] of cases) {
      expect(() => parseVideoSourceConfig({ ...base, ...fields } as never)).to.throw(message);
    }
  });

  it('reads commands, acks and image Buffers from messages', () => {
    expect(commandOf(msg({ payload: ' pause ' }))).to.equal('pause');
    expect(commandOf(msg({ payload: 'x', command: 'resume' }))).to.equal('resume');
    expect(commandOf(msg({ ack: true, payload: 'start' }))).to.equal('next');
    expect(commandOf(msg({ payload: Buffer.from([0xff, 0xd8]) }))).to.equal('image');
    expect(() => commandOf(msg({ payload: 42 }))).to.throw(TypeError, 'got 42');
  });
});
