import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeSample } from '@sluice/core/testing';
import { SampleSpill } from '../src/sample-spill.ts';

test('spilled samples read back equal, by number, in any order, across flushes', () => {
  const spill = new SampleSpill();
  try {
    // Multi-byte text and enough volume to cross the 4 MB flush boundary several times.
    const samples = Array.from({ length: 3000 }, (_, i) => makeSample({
      sampleId: `s_${String(i).padStart(5, '0')}`,
      prompt: [{ role: 'user', content: `Grüße, naïve café ☕ — question ${i} ${'x'.repeat(i % 7 === 0 ? 5000 : 20)}` }],
    }));
    samples.forEach((s, i) => assert.equal(spill.append(s), i));
    assert.equal(spill.size, samples.length);
    const wanted = [2999, 0, 1500, 7, 7, 42];
    assert.deepEqual(spill.read(wanted), wanted.map((n) => samples[n]));
    spill.append(samples[1]!);
    assert.deepEqual(spill.read([3000]), [samples[1]]);
    assert.throws(() => spill.read([3001]), RangeError);
  } finally {
    spill.close();
  }
});

test('close removes the spill file and its directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-spill-test-'));
  try {
    const spill = new SampleSpill(dir);
    spill.append(makeSample());
    assert.equal(readdirSync(dir).length, 1);
    spill.close();
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(existsSync(dir), false);
});
