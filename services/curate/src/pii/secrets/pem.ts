import { forEachMatch } from '../text-profile.ts';
import type { Span } from '../types.ts';

// PKCS#1 (RSA/EC/DSA), PKCS#8 (plain and ENCRYPTED), OpenSSH and PGP ('… PRIVATE KEY BLOCK').
const beginPattern = /-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY( BLOCK)?-----/g;
// A truncated key (no END line, e.g. cut off by a message length limit) is redacted as far as its
// base64 body reaches: letters, digits, '+', '/', '=', whitespace, header lines and literal '\n'.
const truncatedBodyCharacters = /[A-Za-z0-9+/=\s\\:,-]/;

/**
 * PEM private keys, from BEGIN through the matching END line over any number of lines. The END
 * line is located with indexOf, so a key costs one linear scan whatever its size.
 */
export function findPemPrivateKeys(text: string, out: Span[]): void {
  if (!text.includes('BEGIN') || !text.includes('-----BEGIN')) return; // 'B' is rarer than '-'
  let resumeAt = 0;
  // END lines known to be absent from the rest of the text: searching again for each of many
  // unterminated BEGIN lines would make the scan quadratic.
  const missingEndLines = new Set<string>();
  forEachMatch(beginPattern, text, (match) => {
    if (match.index < resumeAt) return; // a BEGIN line inside a key already covered
    const endLine = `-----END ${match[1] ?? ''}PRIVATE KEY${match[2] ?? ''}-----`;
    const bodyStart = match.index + match[0].length;
    const endAt = missingEndLines.has(endLine) ? -1 : text.indexOf(endLine, bodyStart);
    if (endAt === -1) missingEndLines.add(endLine);
    let end = endAt === -1 ? bodyStart : endAt + endLine.length;
    if (endAt === -1) {
      while (end < text.length && truncatedBodyCharacters.test(text.charAt(end))) {
        if (text.startsWith('-----', end)) break; // the next armour line
        end++;
      }
      if (text[end - 1] === '\\') end--; // keep a JSON escape ('\"') whole
    }
    resumeAt = end;
    out.push({ type: 'SECRET', subtype: 'pem_private_key', start: match.index, end, value: text.slice(match.index, end) });
  });
}
