import { expect } from 'chai';
import { parseStreamUrl, redactText, redactUrl, withCredentials } from '../../src/core/source-url';

describe('source-url', () => {
  it('knows RTSP(S) and HTTP(S) stream URLs', () => {
    expect(parseStreamUrl('url', 'rtsp://10.0.0.5:554/live').protocol).to.equal('rtsp');
    expect(parseStreamUrl('url', 'rtsps://cam.example/live').protocol).to.equal('rtsp');
    expect(parseStreamUrl('url', 'https://cam.example/video.mjpg').protocol).to.equal('http');
  });

  it('refuses a URL with credentials in it, pointing at the credential fields', () => {
    expect(() => parseStreamUrl('url', 'rtsp://admin:hunter2@cam/live')).to.throw(
      TypeError,
      "url must not contain a user or password: put them in the node's User and Password fields",
    );
  });

  it('refuses other schemes and non-URLs, naming the value', () => {
    expect(() => parseStreamUrl('url', 'ftp://cam/x')).to.throw(
      'url must use rtsp, rtsps, http or https, got "ftp"',
    );
    expect(() => parseStreamUrl('url', 'not a url')).to.throw('got "not a url"');
  });

  it('puts credentials into the URL for ffmpeg, percent-encoded', () => {
    const { url } = parseStreamUrl('url', 'rtsp://cam:8554/live?channel=1');
    expect(withCredentials(url, 'ad min', 'p@ss:w/rd')).to.equal(
      'rtsp://ad%20min:p%40ss%3Aw%2Frd@cam:8554/live?channel=1',
    );
    expect(withCredentials(url, '', '')).to.equal('rtsp://cam:8554/live?channel=1');
  });

  it('shows URLs without credentials or secret query values', () => {
    const url = new URL('http://user:pw@cam/snap.cgi?user=admin&pwd=secret&res=640');
    expect(redactUrl(url)).to.equal('http://cam/snap.cgi?user=admin&pwd=***&res=640');
  });

  it('removes credentials and the password from ffmpeg error lines', () => {
    const line = 'rtsp://admin:p%40ss@cam/live: Server returned 401; tried p@ss';
    expect(redactText(line, ['p@ss'])).to.equal('rtsp://cam/live: Server returned 401; tried ***');
  });
});
