import { expect } from 'chai';
import { pointInPolygon } from '../../src/core/polygon';
import { footPoint, parseZones, place } from '../../src/core/zones';

const LEFT_HALF = [
  [0, 0],
  [0.5, 0],
  [0.5, 1],
  [0, 1],
];

describe('zones', () => {
  it('finds points inside and outside a concave polygon', () => {
    // An L shape: the notch at the top right is outside.
    const l = [
      { x: 0, y: 0 },
      { x: 0.4, y: 0 },
      { x: 0.4, y: 0.6 },
      { x: 1, y: 0.6 },
      { x: 1, y: 1 },
      { x: 0, y: 1 },
    ];
    expect(pointInPolygon({ x: 0.2, y: 0.2 }, l)).to.equal(true);
    expect(pointInPolygon({ x: 0.8, y: 0.8 }, l)).to.equal(true);
    expect(pointInPolygon({ x: 0.8, y: 0.2 }, l)).to.equal(false);
    expect(pointInPolygon({ x: 1.2, y: 0.8 }, l)).to.equal(false);
  });

  it('places a person by the bottom centre of their box, in frame fractions', () => {
    expect(footPoint({ x1: 100, y1: 50, x2: 200, y2: 350 }, 640, 360)).to.deep.equal({
      x: 150 / 640,
      y: 350 / 360,
    });
  });

  it('counts everywhere without include zones, and nowhere inside an exclude zone', () => {
    const zones = parseZones([{ name: 'desk', kind: 'exclude', points: LEFT_HALF }]);
    expect(place(zones, { x: 0.8, y: 0.5 })).to.deep.equal({ counted: true, zones: [] });
    expect(place(zones, { x: 0.2, y: 0.5 })).to.deep.equal({ counted: false, zones: [] });
  });

  it('counts only inside include zones and names each one that holds the point', () => {
    const zones = parseZones(
      JSON.stringify([
        { name: 'left', kind: 'include', points: LEFT_HALF },
        {
          name: 'all',
          points: [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        },
      ]),
    );
    expect(zones[1].kind).to.equal('include');
    expect(place(zones, { x: 0.2, y: 0.5 })).to.deep.equal({
      counted: true,
      zones: ['left', 'all'],
    });
    expect(place(zones, { x: 0.7, y: 0.5 })).to.deep.equal({ counted: true, zones: ['all'] });
    expect(place(zones, { x: 1.5, y: 0.5 })).to.deep.equal({ counted: false, zones: [] });
  });

  it('rejects a polygon with fewer than 3 points, naming the zone and the count', () => {
    const two = [
      {
        name: 'door',
        points: [
          [0, 0],
          [1, 1],
        ],
      },
    ];
    expect(() => parseZones(two)).to.throw(
      RangeError,
      'zones[0].points must have at least 3 points, got 2 points',
    );
  });

  it('rejects points outside the frame, unknown kinds, duplicate names and bad JSON', () => {
    const tri = (p: unknown) => [{ name: 'a', points: [[0, 0], [1, 0], p] }];
    expect(() => parseZones(tri([0.5, 1.5]))).to.throw(
      RangeError,
      'zones[0].points[2] must be [x, y] with x and y between 0 and 1 (fractions of the frame), got [0.5,1.5]',
    );
    expect(() => parseZones([{ name: 'a', kind: 'maybe', points: LEFT_HALF }])).to.throw(
      'zones[0].kind must be include or exclude, got "maybe"',
    );
    const twice = [
      { name: 'a', points: LEFT_HALF },
      { name: 'a', points: LEFT_HALF },
    ];
    expect(() => parseZones(twice)).to.throw('zones[1].name must be unique, got "a"');
    expect(() => parseZones('[{')).to.throw(SyntaxError, /^zones must be JSON/);
    expect(parseZones('')).to.deep.equal([]);
  });
});
