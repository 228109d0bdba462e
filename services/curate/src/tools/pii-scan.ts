import { SluiceError } from '@sluice/core';
import { createRedactor, defaultPiiPolicy, type PiiPolicy } from '../pii/index.ts';

/**
 * `sluice pii scan`: JSON Lines `{"id", "text"}` in → `{"id", "text": <redacted>, "findings":
 * [{"type", "start", "end"}]}` out, offsets being JavaScript string indices into the original
 * text. For stewards checking detectors on their own files. Blank lines are skipped; a bad line
 * stops with SLUICE_ERR_INPUT_INVALID naming its number.
 */
export async function* scanPiiLines(lines: AsyncIterable<string>, options: { policy?: PiiPolicy; pseudonymKey?: string } = {}): AsyncGenerator<string> {
  const redactor = createRedactor(options.policy ?? defaultPiiPolicy(), { pseudonymKey: options.pseudonymKey ?? 'pii-scan-local-key-0000' });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const record = parseRecord(line, lineNumber);
    const result = redactor.redactText(record.text);
    yield JSON.stringify({ id: record.id, text: result.text, findings: result.spans });
  }
}

export function parseRecord(line: string, lineNumber: number): { id: unknown; text: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `line ${lineNumber}: not JSON (${(error as Error).message})`);
  }
  const record = parsed as { id?: unknown; text?: unknown } | null;
  if (typeof record !== 'object' || record === null || typeof record.text !== 'string' || !('id' in record)) {
    throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `line ${lineNumber}: expected {"id": …, "text": "…"}`);
  }
  return { id: record.id, text: record.text };
}
