/*
 * The entries of a body's `events` array found by a WebAssembly SIMD scanner
 * (events-array-scan.wat): 16 bytes at a time, quotes, backslashes and brackets as bit masks, so the
 * bytes of a string cost nothing unless they hold a backslash. It does the work of the JavaScript
 * scanner's arrayEntries (events-array-slices.ts) at about a third of its cost (0.64 -> 0.22 µs per
 * bench event, the copy into its memory included) and hands the rare cases back to it: an entry
 * that is not an object or array, a \u escape of a UTF-16 surrogate, or anything unexpected.
 */
import { EVENTS_ARRAY_SCAN_WASM } from './events-array-scan.wasm.gen.ts';

/** Most entries one call reports; a longer array goes to the JavaScript scanner. */
const MAX_ENTRIES = 16_384;
const PAGE_BYTES = 65_536;

interface ScanExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  arrayEnd: { value: number };
  arrayEntries(open: number, length: number, out: number, max: number): number;
}

/** The part of the WebAssembly API used here (TypeScript's libs declare it only with the DOM's). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

let scanner: ScanExports | null = null;

function instance(): ScanExports {
  const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
  scanner ??= new Instance(new Module(Buffer.from(EVENTS_ARRAY_SCAN_WASM, 'base64'))).exports as ScanExports;
  return scanner;
}

/**
 * The entries of the array whose `[` is at `open` (byte ranges, and the offset just past its `]`);
 * null when the bytes end inside it (as the JavaScript scanner answers); undefined for a case the
 * JavaScript scanner must decide.
 */
export function wasmArrayEntries(json: Uint8Array, open: number): { entries: { starts: number[]; ends: number[] }; end: number } | null | undefined {
  const { memory, arrayEnd, arrayEntries } = instance();
  const out = (json.length + 7) & ~7;
  const needed = out + MAX_ENTRIES * 8;
  if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
  new Uint8Array(memory.buffer, 0, json.length).set(json);
  const count = arrayEntries(open, json.length, out, MAX_ENTRIES);
  if (count === -1) return null;
  if (count < 0) return undefined;
  const offsets = new Int32Array(memory.buffer, out, count * 2);
  const starts = new Array<number>(count);
  const ends = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    starts[i] = offsets[2 * i]!;
    ends[i] = offsets[2 * i + 1]!;
  }
  return { entries: { starts, ends }, end: arrayEnd.value };
}
