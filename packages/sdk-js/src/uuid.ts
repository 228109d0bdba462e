/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, 74 random bits. Event ids sort by creation
 * time, which keeps the server's id index append-friendly.
 */
export function uuidv7(now: number = Date.now()): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  // Bitwise ops truncate to 32 bits, but only the low 8 bits of each shifted value are kept.
  for (let i = 0; i < 6; i++) b[i] = (now / 2 ** (40 - 8 * i)) & 255;
  b[6] = 0x70 | (b[6]! & 15);
  b[8] = 0x80 | (b[8]! & 63);
  let hex = '';
  for (const byte of b) hex += (byte + 256).toString(16).slice(1);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
