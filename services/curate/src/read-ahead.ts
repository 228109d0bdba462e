import { setImmediate as turn } from 'node:timers/promises';

/**
 * Yields the chunks of `source` while it already fetches the next one: the warehouse runs the
 * query for chunk n+1 on its own threads while the caller works on chunk n, instead of the
 * caller waiting idle between chunks. At most two chunks are held at once. The caller should
 * let the event loop turn now and then inside a chunk (`letQueriesProgress`), or the fetch only
 * advances at chunk boundaries.
 */
export async function* readAhead<T>(source: AsyncIterable<T[]>): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T[]>> | null = iterator.next();
  try {
    for (;;) {
      const result: IteratorResult<T[]> = await pending;
      pending = null;
      if (result.done) return;
      pending = iterator.next();
      yield result.value;
    }
  } finally {
    // The caller stopped early (or a fetch failed): settle the fetch in flight, then close the source.
    if (pending !== null) {
      const last = await pending.catch(() => ({ done: true as const, value: undefined }));
      if (last.done !== true) await iterator.return?.();
    }
  }
}

/** Items between two turns of the event loop inside a chunk: lets a fetch in flight progress. */
export const ITEMS_PER_TURN = 500;

/** One turn of the event loop (the continuations of a warehouse fetch in flight run here). */
export function letQueriesProgress(): Promise<void> {
  return turn();
}
