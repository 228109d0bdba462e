import { SluiceError } from '@sluice/core';

/**
 * Every Kafka failure the EventLog reports is SLUICE_ERR_STORAGE_UNAVAILABLE (HTTP 503 +
 * Retry-After): the client keeps its events and sends them again. The Kafka error stays as `cause`
 * for logs; the message shown to HTTP clients is the catalogue's, so broker addresses do not leak.
 */
export function storageUnavailable(cause: unknown): SluiceError {
  if (cause instanceof SluiceError) return cause;
  return new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', undefined, { cause });
}

/**
 * Rejects with SLUICE_ERR_STORAGE_UNAVAILABLE when `work` has not settled after `timeoutMs`.
 * The Kafka client's own retries are bounded too, but their worst case multiplies (connect timeout
 * × metadata retries × produce retries); this is the one number that bounds what a caller waits.
 * `work` may still finish later: a rejected append can therefore have been written, which is fine
 * because the client resends it and the warehouse deduplicates by (source, eventId).
 */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, describeTimeout: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', describeTimeout())), timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** The innermost messages of a Kafka client error (they nest: MultipleErrors → NetworkError → cause). */
export function describeKafkaError(error: unknown): string {
  const reasons = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (!(value instanceof Error) || depth > 6) return;
    const children = [...(value instanceof AggregateError ? value.errors : []), ...(value.cause === undefined ? [] : [value.cause])];
    if (children.length === 0) reasons.add(value.message);
    for (const child of children) visit(child, depth + 1);
  };
  visit(error, 0);
  return reasons.size > 0 ? [...reasons].join('; ') : String(error);
}
