import { expect } from 'chai';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PixelCrop } from '../../src/core/types';
import { createMaskClassifierSession } from '../../src/runtime/mask-classifier-session';
import { readHeadMetadata } from '../../src/runtime/tfjs-mask-classifier';
import { tf } from '../../src/runtime/tfjs-backend';

function flatCrop(width: number, height: number, value: number): PixelCrop {
  return { data: Buffer.alloc(width * height * 3, value), width, height, channels: 3 };
}

describe('tfjs mask classifier (shipped head)', function () {
  this.timeout(60_000);

  it('returns one probability row per crop in label order, summing to one', async () => {
    const session = await createMaskClassifierSession('mobilenetv2-head');
    try {
      expect(session.labels).to.deep.equal(['mask', 'no_mask', 'incorrect']);
      expect(session.inputSize).to.equal(128);
      const rows = await session.classify([flatCrop(20, 24, 30), flatCrop(90, 110, 200)]);
      expect(rows).to.have.length(2);
      for (const row of rows) {
        expect(row).to.have.length(3);
        expect(row.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-4);
      }
      expect(await session.classify([])).to.deep.equal([]);
    } finally {
      session.dispose();
    }
  });

  it('keeps the number of live tensors constant over repeated batches and frees all on dispose', async () => {
    const before = tf.memory().numTensors;
    const session = await createMaskClassifierSession('mobilenetv2-head');
    await session.classify([flatCrop(32, 40, 90)]);
    const live = tf.memory().numTensors;
    for (let i = 0; i < 3; i += 1)
      await session.classify([flatCrop(32, 40, 90), flatCrop(8, 8, 1)]);
    expect(tf.memory().numTensors).to.equal(live);
    session.dispose();
    expect(tf.memory().numTensors).to.equal(before);
    let caught: unknown;
    await session.classify([flatCrop(8, 8, 1)]).catch((err: unknown) => (caught = err));
    expect(String(caught)).to.match(/disposed/);
  });

  it('names the file and the field when a head has no usable maskwatch block', () => {
    const dir = mkdtempSync(join(tmpdir(), 'maskwatch-head-'));
    const path = join(dir, 'model.json');
    writeFileSync(path, JSON.stringify({ maskwatch: { labels: ['mask', 'no_mask'] } }));
    expect(() => readHeadMetadata(path)).to.throw(
      `model file ${path}: maskwatch.labels must be ["mask","no_mask","incorrect"], got ["mask","no_mask"]`,
    );
    writeFileSync(path, '{}');
    expect(() => readHeadMetadata(path)).to.throw(/has no "maskwatch" block/);
  });
});
