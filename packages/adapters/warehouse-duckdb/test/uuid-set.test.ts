import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { UuidSet, uuidWords } from '../src/uuid-set.ts';

test('add reports first sight, has finds every added id across growth', () => {
  const set = new UuidSet(4);
  const ids = Array.from({ length: 50_000 }, () => randomUUID());
  for (const id of ids) assert.equal(set.add(id), true);
  assert.equal(set.size, ids.length);
  for (const id of ids) assert.equal(set.has(id), true);
  for (const id of ids.slice(0, 100)) assert.equal(set.add(id), false);
  assert.equal(set.size, ids.length);
  for (let i = 0; i < 1000; i++) assert.equal(set.has(randomUUID()), false);
});

test('warm reads ahead without changing what the set holds', () => {
  const set = new UuidSet(4);
  const ids = Array.from({ length: 5000 }, () => randomUUID());
  const words = new Uint32Array(ids.length * 4);
  ids.forEach((id, i) => uuidWords(id, words, i * 4));
  for (let at = 0; at < ids.length; at += 500) {
    set.warm(words.subarray(at * 4), 500);
    for (let i = at; i < at + 500; i++) assert.equal(set.addWords(words, i * 4), true);
  }
  set.warm(words, ids.length);
  for (let i = 0; i < ids.length; i++) assert.equal(set.addWords(words, i * 4), false);
  assert.equal(set.size, ids.length);
  for (const id of ids) assert.equal(set.has(id), true);
});

test('case and dashes do not matter; the nil UUID is a member like any other', () => {
  const set = new UuidSet();
  const id = '0190f5a2-7c3e-7b1a-9d2e-3f4a5b6c7d8e';
  set.add(id);
  assert.equal(set.has(id.toUpperCase()), true);
  assert.equal(set.has(id.replaceAll('-', '')), true);
  const nil = '00000000-0000-0000-0000-000000000000';
  assert.equal(set.has(nil), false);
  assert.equal(set.add(nil), true);
  assert.equal(set.add(nil), false);
  assert.equal(set.has(nil), true);
  assert.equal(set.size, 2);
});

test('uuidWords reads exactly the ids a UUID pattern accepts, into the right words', () => {
  const pattern = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
  const id = '0190f5a2-7c3e-7b1a-9d2e-3f4a5b6c7d8e';
  const words = new Uint32Array(5);
  assert.equal(uuidWords(id.toUpperCase(), words, 1), true);
  assert.deepEqual([...words], [0, 0x0190f5a2, 0x7c3e7b1a, 0x9d2e3f4a, 0x5b6c7d8e]);
  const cases = [id, id.replaceAll('-', ''), id.slice(1), `${id}0`, ''];
  // Every position with each kind of character: digits, both cases, the letters after f, dashes,
  // and characters beyond ASCII whose low 7 bits spell a hex digit ('á' is 0xE1, 'a' 0x61).
  for (let i = 0; i < id.length; i++) for (const c of ['0', '9', 'a', 'F', 'g', 'G', '-', '/', ':', '@', '`', 'á', 'Á', '\u0661', '\u0130']) cases.push(id.slice(0, i) + c + id.slice(i + 1));
  for (const text of cases) assert.equal(uuidWords(text, words, 0), pattern.test(text), JSON.stringify(text));
});

test('malformed ids are never members and cannot be added', () => {
  const set = new UuidSet();
  assert.equal(set.has('not-a-uuid'), false);
  assert.throws(() => set.add('0190f5a2-7c3e-7b1a-9d2e-3f4a5b6c7d8'), TypeError);
});

test('ids that differ only in one word are distinct (UUIDv7 shares timestamp prefixes)', () => {
  const set = new UuidSet();
  const prefix = '0190f5a2-7c3e-7b1a-9d2e-';
  for (let i = 0; i < 5000; i++) set.add(prefix + i.toString(16).padStart(12, '0'));
  assert.equal(set.size, 5000);
  assert.equal(set.has(prefix + (5000).toString(16).padStart(12, '0')), false);
  assert.equal(set.has(prefix + (4999).toString(16).padStart(12, '0')), true);
});

test('dashes must sit where a UUID has them, and every digit must be hex', () => {
  const set = new UuidSet();
  assert.equal(set.has('0190f5a27-c3e-7b1a-9d2e-3f4a5b6c7d8e'), false);
  assert.throws(() => set.add('0190f5a2-7c3e-7b1a-9d2e-3f4a5b6c7d8g'), TypeError);
  assert.throws(() => set.add('0190f5a2-7c3e-7b1a-9d2e-3f4a5b6c7d8e0'), TypeError);
  set.add('ffffffff-ffff-ffff-ffff-fffffffffffe');
  assert.equal(set.has('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFE'), true);
  assert.equal(set.has('ffffffff-ffff-ffff-ffff-ffffffffffff'), false);
});

test('delete removes exactly the id asked for, and every other id stays findable through crowded probe runs', () => {
  // A small table kept near its 60% load: long probe runs that wrap around the end of the slots.
  const set = new UuidSet(4);
  const ids = Array.from({ length: 3000 }, () => randomUUID());
  for (const id of ids) set.add(id);
  const gone = new Set<string>();
  for (let i = 0; i < ids.length; i += 3) {
    assert.equal(set.delete(ids[i]!.toUpperCase()), true);
    gone.add(ids[i]!);
    assert.equal(set.delete(ids[i]!), false, 'a second delete finds nothing');
  }
  assert.equal(set.size, ids.length - gone.size);
  for (const id of ids) assert.equal(set.has(id), !gone.has(id), id);
  // Deleted ids can come back; the nil UUID and unknown or malformed ids delete like anything else.
  for (const id of gone) assert.equal(set.add(id), true);
  assert.equal(set.size, ids.length);
  const nil = '00000000-0000-0000-0000-000000000000';
  set.add(nil);
  assert.equal(set.delete(nil), true);
  assert.equal(set.has(nil), false);
  assert.equal(set.delete(randomUUID()), false);
  assert.equal(set.delete('not-a-uuid'), false);
  for (const id of ids) assert.equal(set.has(id), true);
});

test('delete in a nearly full 16-slot table, where probe runs wrap around its end', () => {
  for (let trial = 0; trial < 2000; trial++) {
    const set = new UuidSet(4); // 16 slots; 9 ids stay below the 60% growth mark
    const ids = Array.from({ length: 9 }, () => randomUUID());
    for (const id of ids) set.add(id);
    const gone = ids.filter(() => Math.random() < 0.4);
    for (const id of gone) assert.equal(set.delete(id), true);
    for (const id of ids) assert.equal(set.has(id), !gone.includes(id), `trial ${trial}`);
  }
});

test('ids added as words (uuidWords) are the same members as ids added as strings, across growth and deletes', () => {
  const set = new UuidSet(4);
  const ids = Array.from({ length: 5_000 }, () => randomUUID());
  const words = new Uint32Array(ids.length * 4);
  ids.forEach((id, i) => assert.equal(uuidWords(id.toUpperCase(), words, i * 4), true));
  ids.forEach((id, i) => assert.equal(i % 2 === 0 ? set.addWords(words, i * 4) : set.add(id), true));
  ids.forEach((id, i) => {
    assert.equal(set.has(id), true);
    assert.equal(i % 2 === 0 ? set.add(id) : set.addWords(words, i * 4), false, `id ${i} is already a member`);
  });
  assert.equal(set.size, ids.length);
  ids.forEach((id, i) => { if (i % 3 === 0) assert.equal(set.deleteWords(words, i * 4), true); });
  ids.forEach((id, i) => assert.equal(set.has(id), i % 3 !== 0));
  assert.equal(uuidWords('not-a-uuid', words, 0), false);
});

test('through dozens of bucket splits and directory doublings, with deletes between adds, the set holds exactly what a Set of strings holds', () => {
  const set = new UuidSet(4);
  const reference = new Set<string>();
  const words = new Uint32Array(4);
  let seed = 5;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const ids: string[] = [];
  for (let i = 0; i < 400_000; i++) {
    // UUIDv7-like ids: a shared time prefix, a counter, random bits.
    const id = `0190f5a2-7c3e-7${(i & 0xfff).toString(16).padStart(3, '0')}-9${Math.floor(random() * 0x1000).toString(16).padStart(3, '0')}-${i.toString(16).padStart(12, '0')}`;
    ids.push(id);
    assert.equal(set.add(id), !reference.has(id));
    reference.add(id);
    if (i % 7 === 3) {
      const gone = ids[Math.floor(random() * ids.length)]!;
      uuidWords(gone, words, 0);
      assert.equal(set.deleteWords(words, 0), reference.delete(gone));
    }
  }
  assert.equal(set.size, reference.size);
  for (const id of ids) assert.equal(set.has(id), reference.has(id), id);
});
