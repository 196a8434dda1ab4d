import { expect } from 'chai';
import { StreamTimeline } from '../../src/core/stream-timeline';

describe('stream-timeline', () => {
  it('counts frames one by one and measures the frame rate', () => {
    const timeline = new StreamTimeline();
    const indices = [0, 100, 200, 300, 400].map((t) => timeline.index(t));
    expect(indices).to.deep.equal([0, 1, 2, 3, 4]);
    expect(timeline.fps).to.be.closeTo(10, 1e-9);
  });

  it('skips the frames a 10 fps camera would have sent during a 20 s outage', () => {
    const timeline = new StreamTimeline();
    for (let i = 0; i < 10; i += 1) timeline.index(i * 100);
    // Last frame at 900 ms; the first one back at 20 900 ms: 199 frames were missed.
    expect(timeline.index(20_900, true)).to.equal(10 + 199);
    expect(timeline.skipped).to.equal(199);
    expect(timeline.index(21_000)).to.equal(210);
    expect(timeline.fps).to.be.closeTo(10, 1e-9);
  });

  it('measures the rate through bursts: frames bunched up do not make the camera faster', () => {
    const timeline = new StreamTimeline();
    // Three frames at once (what ffmpeg buffered while probing), then one every 100 ms.
    for (const t of [0, 1, 2, 100, 200, 300, 400, 500, 600, 700]) timeline.index(t);
    expect(timeline.intervalMs).to.equal(100);
    expect(timeline.index(20_700, true)).to.equal(10 + 199);
  });

  it('skips nothing after a gap when no rate was measured yet', () => {
    const timeline = new StreamTimeline();
    timeline.index(0);
    expect(timeline.index(5000, true)).to.equal(1);
  });
});
