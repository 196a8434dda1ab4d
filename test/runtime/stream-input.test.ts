import { expect } from 'chai';
import { parseStreamUrl } from '../../src/core/source-url';
import {
  ffmpegInputArgs,
  secretsOf,
  sourceName,
  type DeviceInput,
  type StreamInput,
} from '../../src/runtime/stream-input';

function stream(url: string, transport: 'tcp' | 'udp', user = '', password = ''): StreamInput {
  const { protocol, url: parsed } = parseStreamUrl('url', url);
  return { kind: 'stream', protocol, url: parsed, transport, user, password };
}

describe('stream-input', () => {
  it('asks ffmpeg for the RTSP transport and gives it the credentials, and nobody else', () => {
    const input = stream('rtsp://10.1.2.3:554/Streaming/101', 'udp', 'admin', 's3cret');
    expect(ffmpegInputArgs(input)).to.deep.equal([
      ...['-rtsp_transport', 'udp', '-i'],
      'rtsp://admin:s3cret@10.1.2.3:554/Streaming/101',
    ]);
    expect(sourceName(input)).to.equal('rtsp://10.1.2.3:554/Streaming/101');
    expect(secretsOf(input)).to.deep.equal(['s3cret']);
  });

  it('opens HTTP streams (MJPEG, HLS) by URL alone', () => {
    const input = stream('https://cam.example/live/index.m3u8', 'tcp');
    expect(ffmpegInputArgs(input)).to.deep.equal(['-i', 'https://cam.example/live/index.m3u8']);
    expect(secretsOf(input)).to.deep.equal([]);
  });

  it('asks a V4L2 camera for a format and a size only when they are set', () => {
    const device: DeviceInput = {
      kind: 'device',
      device: '/dev/video2',
      inputFormat: 'mjpeg',
      videoSize: '1280x720',
    };
    expect(ffmpegInputArgs(device)).to.deep.equal([
      ...['-f', 'v4l2', '-input_format', 'mjpeg', '-video_size', '1280x720', '-i', '/dev/video2'],
    ]);
    expect(ffmpegInputArgs({ ...device, inputFormat: '', videoSize: '' })).to.deep.equal([
      ...['-f', 'v4l2', '-i', '/dev/video2'],
    ]);
    expect(sourceName(device)).to.equal('/dev/video2');
  });
});
