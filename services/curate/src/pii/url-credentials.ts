import type { Detector, Span, TextProfile } from './types.ts';

// The scheme right before '://' (RFC 3986: letter then letters, digits, '+', '-', '.').
const schemeBeforePattern = /[A-Za-z][A-Za-z0-9+.-]{0,31}$/;
const maxAuthorityLength = 512;

/**
 * `scheme://user:pass@host` for any scheme (postgres, mongodb+srv, https, redis, amqp, …). The span
 * covers `user:pass` only, so the scheme and host, which carry training signal, survive. Either
 * part may be empty (`redis://:secret@host`). Like browsers, the last '@' of the authority ends
 * the userinfo, so an unencoded '@' inside a password is still covered.
 */
export function createUrlCredentialsDetector(): Detector {
  return {
    type: 'URL_CREDENTIALS',
    detect(text: string, profile: TextProfile, out: Span[]): void {
      if (!profile.hasAt || !profile.hasColon) return;
      for (let marker = text.indexOf('://'); marker !== -1; marker = text.indexOf('://', marker + 3)) {
        if (!schemeBeforePattern.test(text.slice(Math.max(0, marker - 32), marker))) continue;
        const start = marker + 3;
        const at = userinfoEnd(text, start);
        if (at !== -1) out.push({ type: 'URL_CREDENTIALS', start, end: at, value: text.slice(start, at) });
      }
    },
  };
}

/**
 * The index of the '@' that ends a `user:pass` userinfo starting at `start`, or -1 when the
 * authority (up to '/', '?', '#', whitespace or a quote, bounded) holds no '@' or no ':' before it.
 */
function userinfoEnd(text: string, start: number): number {
  const limit = Math.min(text.length, start + maxAuthorityLength);
  let lastAt = -1;
  let firstColon = -1;
  for (let i = start; i < limit; i++) {
    const code = text.charCodeAt(i);
    // '/', '?', '#', whitespace and controls, '"', "'", '<', '>', '`'
    if (code === 47 || code === 63 || code === 35 || code <= 32 || code === 34 || code === 39 || code === 60 || code === 62 || code === 96) {
      break;
    }
    if (code === 64) lastAt = i;
    else if (code === 58 && firstColon === -1) firstColon = i;
  }
  // No password ('user@host'), or an empty one with an empty user ('://:@host').
  if (lastAt === -1 || firstColon === -1 || firstColon > lastAt || lastAt - start < 2) return -1;
  return lastAt;
}
