import { expect } from 'chai';
import { annotationsSvg, DEFAULT_DRAW_STYLE, toDrawables } from '../../src/core/annotation';
import { blurRegions, HEAD_FRACTION } from '../../src/core/blur-regions';

describe('annotation', () => {
  it('reads rects given as bbox or x/y/w/h, and circles, with annotate-image defaults', () => {
    const { drawables, skipped } = toDrawables([
      { type: 'rect', bbox: [10, 20, 30, 40], label: '#1 mask', stroke: '#2ca02c' },
      { bbox: [1, 2, 3, 4] },
      { type: 'rect', x: 5, y: 6, w: 7, h: 8 },
      { type: 'circle', x: 50, y: 60, r: 5 },
    ]);
    expect(skipped).to.equal(0);
    expect(drawables[0]).to.deep.equal({
      kind: 'rect',
      x: 10,
      y: 20,
      w: 30,
      h: 40,
      label: '#1 mask',
      stroke: '#2ca02c',
      lineWidth: DEFAULT_DRAW_STYLE.lineWidth,
      fontSize: DEFAULT_DRAW_STYLE.fontSize,
      fontColor: DEFAULT_DRAW_STYLE.fontColor,
    });
    expect(drawables.map((d) => [d.kind, d.x, d.y, d.w])).to.deep.equal([
      ['rect', 10, 20, 30],
      ['rect', 1, 2, 3],
      ['rect', 5, 6, 7],
      ['circle', 50, 60, 5],
    ]);
  });

  it('skips entries it cannot draw and refuses colours that are not colours', () => {
    const { drawables, skipped } = toDrawables([
      null,
      { type: 'polygon', points: [] },
      { type: 'rect', bbox: [1, 2, 'x', 4] },
      { type: 'rect', bbox: [0, 0, 5, 5], stroke: '"/><script>' },
    ]);
    expect(skipped).to.equal(3);
    expect(drawables[0].stroke).to.equal(DEFAULT_DRAW_STYLE.stroke);
  });

  it('escapes label text and puts a label inside a box at the top edge', () => {
    const { drawables } = toDrawables([{ bbox: [0, 0, 50, 50], label: 'a<b>&"c"' }]);
    const svg = annotationsSvg(100, 100, drawables);
    expect(svg).to.include('>a&#60;b&#62;&#38;&#34;c&#34;</text>');
    expect(svg).to.include(`y="${DEFAULT_DRAW_STYLE.fontSize + 3}"`);
  });

  it('blurs each face box, padded, and the head of a track without a face', () => {
    const regions = blurRegions(
      [{ trackId: 1, box: { x1: 10, y1: 10, x2: 20, y2: 20 } }],
      [
        { id: 1, box: { x1: 0, y1: 0, x2: 30, y2: 100 } },
        { id: 2, box: { x1: 100, y1: 0, x2: 130, y2: 100 } },
      ],
    );
    expect(regions).to.deep.equal([
      { x1: 8, y1: 8, x2: 22, y2: 22 },
      { x1: 100, y1: 0, x2: 130, y2: 100 * HEAD_FRACTION },
    ]);
  });
});
