import { isAsciiAlnumCode, isAsciiLetterCode } from './text-profile.ts';
import type { Detector, Span, TextProfile } from './types.ts';

// RFC 5321 limits; they also bound the work done around each '@', which keeps the scan linear
// even on adversarial input such as 'a@a@a@…' or a megabyte of local-part characters.
const maxLocalLength = 64;
const maxDomainLength = 253;

function isLocalCode(code: number): boolean {
  // A-Z a-z 0-9 . _ % + -  (the quoted and exotic RFC 5322 forms do not occur in chat text)
  return isAsciiAlnumCode(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45;
}

function isDomainCode(code: number): boolean {
  return isAsciiAlnumCode(code) || code === 45 || code === 46;
}

/**
 * Emails are found by anchoring on each '@' and scanning outwards, rather than with one big
 * regex: a regex starting at every local-part character is quadratic on long runs without '@'.
 */
export function createEmailDetector(): Detector {
  return {
    type: 'EMAIL',
    detect(text: string, profile: TextProfile, out: Span[]): void {
      if (profile.hasAt) {
        for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
          const span = emailAround(text, at, 1);
          if (span !== undefined) out.push(span);
        }
      }
      // Query strings carry the '@' percent-encoded: '?email=jane.doe%40gmail.com'.
      for (let at = text.indexOf('%40'); at !== -1; at = text.indexOf('%40', at + 3)) {
        const span = emailAround(text, at, 3);
        if (span !== undefined) out.push(span);
      }
    },
  };
}

/** The address around the '@' (or '%40', `atLength` 3) at `at`, or undefined. */
function emailAround(text: string, at: number, atLength: number): Span | undefined {
  let start = at;
  while (start > 0 && at - start < maxLocalLength && isLocalCode(text.charCodeAt(start - 1))) start--;
  // A local part glued to more local-part characters than the limit is not an address.
  if (start > 0 && isLocalCode(text.charCodeAt(start - 1))) return undefined;
  while (start < at && text.charCodeAt(start) === 46) start++; // '...john@' in prose
  if (start === at || text.charCodeAt(at - 1) === 46) return undefined;
  if (isUrlUserinfo(text, start)) return undefined;

  const domainStart = at + atLength;
  let end = domainStart;
  while (end < text.length && end - domainStart < maxDomainLength && isDomainCode(text.charCodeAt(end))) end++;
  while (end > domainStart && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--; // sentence end
  const domain = text.slice(domainStart, end);
  if (!isHostname(domain)) return undefined;
  if (isScpRemote(text, end)) return undefined;
  return { type: 'EMAIL', start, end, value: text.slice(start, end) };
}

/**
 * `scheme://user:pass@host`: an '@' inside a URL authority delimits userinfo, not a mailbox (the
 * URL_CREDENTIALS detector owns it). After a path starts ('https://x.com/?to=john@x.com') it is
 * a mailbox again.
 */
function isUrlUserinfo(text: string, localStart: number): boolean {
  const window = text.slice(Math.max(0, localStart - 512), localStart);
  const marker = window.lastIndexOf('://');
  if (marker === -1) return false;
  return !/[\s/?#"'<>`]/.test(window.slice(marker + 3));
}

/** `git@github.com:org/repo.git` is an SSH remote, the most common '@' in developer text. */
function isScpRemote(text: string, end: number): boolean {
  if (text.charCodeAt(end) !== 58) return false;
  const next = text.charCodeAt(end + 1);
  return isAsciiLetterCode(next) || next === 126 || next === 47; // letter, '~' or '/'
}

// None of these is a delegated TLD.
const imageExtensions: ReadonlySet<string> = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'bmp', 'ico', 'tif', 'tiff', 'heic']);

function isHostname(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63) return false;
    if (label.startsWith('-') || label.endsWith('-')) return false;
  }
  const tld = labels[labels.length - 1] ?? '';
  // Image file extensions are not top-level domains: `icon@2x.png`, `logo@3x.webp` are retina assets.
  if (imageExtensions.has(tld.toLowerCase())) return false;
  // Letters only (or punycode), so `user@10.0.0.1` and `a@b.c1` are not addresses.
  return tld.length >= 2 && (/^[A-Za-z]+$/.test(tld) || /^xn--[a-z0-9-]+$/i.test(tld));
}
