/**
 * The JSON Schema `uuid` format as ajv-formats defines it (its regex
 * `/^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i`), checked char by char: every
 * event's `event_id` goes through it, and the regex was 2% of the preparation thread.
 */
const URN_PREFIX = 'urn:uuid:';

export function isUuid(text: string): boolean {
  let at = 0;
  if (text.length === URN_PREFIX.length + 36) {
    if (text.slice(0, URN_PREFIX.length).toLowerCase() !== URN_PREFIX) return false;
    at = URN_PREFIX.length;
  } else if (text.length !== 36) {
    return false;
  }
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(at + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
      continue;
    }
    const letter = c | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (letter >= 0x61 && letter <= 0x66))) return false;
  }
  return true;
}
