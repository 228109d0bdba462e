import { forEachMatch } from '../text-profile.ts';
import type { Span } from '../types.ts';

// header.payload.signature in base64url; a JSON header always encodes to 'eyJ' ('{"'). The
// segments exclude '.', so each segment is matched deterministically; the signature may be
// empty (alg "none"). The lookbehind keeps attempts from starting inside a longer run.
const jwtPattern = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;

export function findJwts(text: string, out: Span[]): void {
  if (!containsJsonHeaderStart(text)) return;
  forEachMatch(jwtPattern, text, (match) => {
    const header = match[0].slice(0, match[0].indexOf('.'));
    if (!hasJwtHeader(header)) return;
    out.push({ type: 'SECRET', subtype: 'jwt', start: match.index, end: match.index + match[0].length, value: match[0] });
  });
}

/** Three dotted base64 parts are common (e.g. in hashes); a JWT's header is JSON with "alg". */
function hasJwtHeader(encodedHeader: string): boolean {
  if (encodedHeader.length > 4096) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/** `text.includes('eyJ')`, three times faster: searching for the rare 'J' skips every 'e'. */
function containsJsonHeaderStart(text: string): boolean {
  for (let j = text.indexOf('J', 2); j !== -1; j = text.indexOf('J', j + 1)) {
    if (text.charCodeAt(j - 1) === 121 && text.charCodeAt(j - 2) === 101) return true; // 'ey'
  }
  return false;
}
