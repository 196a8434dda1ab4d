import { expect } from 'chai';
import { MAX_HEADER_BYTES, PpmStreamParser } from '../../src/core/ppm-stream-parser';

/** A P6 image of `width × height` whose bytes count up from `seed` (so frames differ). */
function ppm(width: number, height: number, seed = 0): { bytes: Buffer; pixels: Buffer } {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (seed + i) % 256;
  return { bytes: Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`), pixels]), pixels };
}

describe('ppm-stream-parser', () => {
  it('cuts a stream of images however the chunks fall, keeping each size', () => {
    const a = ppm(4, 2, 1);
    const b = ppm(3, 5, 7);
    const stream = Buffer.concat([a.bytes, b.bytes, a.bytes]);
    for (const chunkSize of [1, 2, 7, 13, 64, stream.length]) {
      const parser = new PpmStreamParser();
      const images = [];
      for (let i = 0; i < stream.length; i += chunkSize) {
        images.push(...parser.push(stream.subarray(i, i + chunkSize)));
      }
      expect(images.map((im) => [im.width, im.height])).to.deep.equal([
        [4, 2],
        [3, 5],
        [4, 2],
      ]);
      expect(images[1].data.equals(b.pixels)).to.equal(true);
      expect(images[2].data.equals(a.pixels)).to.equal(true);
      expect(parser.atBoundary).to.equal(true);
    }
  });

  it('gives each frame a Buffer of its own, not a view of the chunk', () => {
    const a = ppm(2, 2, 3);
    const chunk = Buffer.from(a.bytes);
    const [image] = new PpmStreamParser().push(chunk);
    chunk.fill(0);
    expect(image.data.equals(a.pixels)).to.equal(true);
  });

  it('holds at most one partial frame', () => {
    const parser = new PpmStreamParser();
    const a = ppm(10, 10);
    parser.push(a.bytes.subarray(0, 200));
    expect(parser.atBoundary).to.equal(false);
    expect(parser.heldBytes).to.be.at.most(10 * 10 * 3);
  });

  it('rejects bytes that are not PPM at once', () => {
    expect(() => new PpmStreamParser().push(Buffer.from('GIF89a....'))).to.throw(
      'not a PPM stream: expected "P6", got "GIF89a.."',
    );
  });

  it('rejects a header that never ends instead of buffering it', () => {
    const parser = new PpmStreamParser();
    const endless = Buffer.from(`P6 ${'1'.repeat(MAX_HEADER_BYTES)}`);
    expect(() => parser.push(endless)).to.throw(`PPM header longer than ${MAX_HEADER_BYTES} bytes`);
  });

  it('rejects an image larger than the frame bound before allocating it', () => {
    const parser = new PpmStreamParser(1000);
    expect(() => parser.push(Buffer.from('P6\n100 100\n255\n'))).to.throw(
      RangeError,
      'PPM image 100×100 is outside 1 … 1000 bytes of RGB',
    );
  });

  it('rejects 16-bit images', () => {
    expect(() => new PpmStreamParser().push(Buffer.from('P6\n2 2\n65535\n'))).to.throw(
      'PPM maxval must be 255 (8-bit), got 65535',
    );
  });
});
