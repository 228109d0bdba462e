import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { overlapsSorted } from './resolve-overlaps.ts';
import { runLength } from './digit-runs.ts';
import { isAsciiLetterCode, isWordCode, matchAt } from './text-profile.ts';
import type { Detector, Span, TextProfile } from './types.ts';

export interface IpAddressOptions {
  /**
   * Private, loopback, link-local, CGNAT, multicast and reserved addresses say nothing about a
   * person, and masking them destroys useful infrastructure context in training data, so they are
   * skipped unless asked for. Documentation ranges (192.0.2.0/24, 198.51.100.0/24,
   * 203.0.113.0/24, 2001:db8::/32) stay detectable: people paste real addresses into examples.
   */
  includePrivate: boolean;
}

// Octets 0-255 without leading zeros ('01.2.3.4' is ambiguous: octal in some parsers). The
// lookarounds refuse the address inside longer dotted tokens: 1.2.3.4.5, v1.2.3.4, 10.0.0.1a.
// Sticky: it runs only at digit runs that can start a dotted quad (see detect).
const octet = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const ipv4Pattern = new RegExp(String.raw`(?<![\w.])(?:${octet}\.){3}${octet}(?![\w]|\.\d)`, 'y');
// 'section 24.5.1.1', '#section-7.1.1.1', 'version 1.2.3.4', 'app_version=2.0.0.1',
// '"app_version": "2.4.6.8"', 'AssemblyVersion("4.2.1.0")': dotted numbers that number something.
// The word must start a word or a camelCase hump, so 'server: 8.8.8.8' stays an address.
const numberingWordBefore = /(version|release|section|chapter|build|rev|ver|§)[\s#:_=("'\\-]*$/i;
const numberingWindow = 20;
// An IPv6 candidate is a maximal run of hex digits, ':' and '.' that starts with at most four hex
// digits before its first ':', is 3-49 characters long and is not glued to a longer word; node:net's
// parser then decides. Found from each ':' with indexOf: no regex runs over the text.
const maxIpv6Prefix = 4;
const maxIpv6Tail = 44; // after the first ':'; 45 characters is the longest textual IPv6

/** The IPv6 spans of a text without any (most texts): shared, never written to. */
const noSpans: Span[] = Object.freeze([]) as unknown as Span[];

export function createIpAddressDetector(options: IpAddressOptions): Detector {
  const nonPublic = options.includePrivate ? undefined : nonPublicRanges();
  return {
    type: 'IP_ADDRESS',
    detect(text: string, profile: TextProfile, out: Span[]): void {
      // IPv6 first, so that the IPv4 tail of '::ffff:8.8.8.8' is not reported a second time.
      let ipv6 = noSpans;
      if (profile.hasColon) {
        forEachIpv6Candidate(text, (start, end) => {
          let candidate = text.slice(start, end);
          while (candidate.endsWith('.')) candidate = candidate.slice(0, -1); // sentence-ending dot
          if (!isIPv6(candidate) || segmentCount(candidate) < 3) return;
          if (nonPublic !== undefined && isNonPublicIPv6(candidate, nonPublic)) return;
          if (ipv6 === noSpans) ipv6 = [];
          ipv6.push({ type: 'IP_ADDRESS', start, end: start + candidate.length, value: candidate });
        });
      }
      for (const span of ipv6) out.push(span);
      const runs = profile.digitRuns;
      // A dotted quad starts a run of one to three digits followed by '.', and its four runs lie in
      // one chain. Resuming after each match, as a global scan does.
      let resumeAt = 0;
      for (let k = 0; k + 3 < runs.count; k++) {
        const start = runs.starts[k] as number;
        if (start < resumeAt || runLength(runs, k) > 3 || (runs.chainLast[k] as number) < k + 3) continue;
        if (text.charCodeAt(runs.ends[k] as number) !== 46) continue; // '.'
        const match = matchAt(ipv4Pattern, text, start);
        if (match === null) continue;
        const address = match[0];
        resumeAt = start + address.length;
        if (nonPublic !== undefined && isNonPublicIPv4(address)) continue;
        if (address.endsWith('.0.0.0')) continue; // a /8 network ('Chrome/124.0.0.0' in user agents), never a host
        if (isNumbering(text, start)) continue;
        const span: Span = { type: 'IP_ADDRESS', start, end: resumeAt, value: address };
        if (!overlapsSorted(ipv6, span)) out.push(span);
      }
    },
  };
}

function isIpv6RunCode(code: number): boolean {
  // 0-9 A-F a-f : .
  return (code >= 48 && code <= 58) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102) || code === 46;
}

/**
 * Calls `onCandidate(start, end)` for each maximal run of `[0-9A-Fa-f:.]` that starts with 0-4 hex
 * digits and a ':' (no '.' before the first ':'), has 2-44 characters after that first ':', is not
 * glued to other word characters ('msg:…', 'deadbeefcafe:…') and can be an address at all: it
 * holds '::' or six colons or more (eight groups, or six and an IPv4 tail), which rules out clock
 * times ('12:30:45') without parsing them. Every character is visited a bounded number of times:
 * the scan resumes after each run.
 */
function forEachIpv6Candidate(text: string, onCandidate: (start: number, end: number) => void): void {
  let colon = text.indexOf(':');
  while (colon !== -1) {
    let start = colon;
    while (start > 0 && colon - start <= maxIpv6Prefix && isIpv6RunCode(text.charCodeAt(start - 1)) && text.charCodeAt(start - 1) !== 46) start--;
    let end = colon + 1;
    let colons = 1;
    let doubleColon = false;
    while (end < text.length && isIpv6RunCode(text.charCodeAt(end))) {
      if (text.charCodeAt(end) === 58) {
        colons++;
        if (text.charCodeAt(end - 1) === 58) doubleColon = true;
      }
      end++;
    }
    const tail = end - colon - 1;
    if (
      (doubleColon || colons >= 6) &&
      tail >= 2 &&
      tail <= maxIpv6Tail &&
      colon - start <= maxIpv6Prefix &&
      (start === 0 || !isWordOrRunCode(text.charCodeAt(start - 1))) &&
      (end === text.length || !isWordCode(text.charCodeAt(end)))
    ) {
      onCandidate(start, end);
    }
    colon = text.indexOf(':', end);
  }
}

function isWordOrRunCode(code: number): boolean {
  return isWordCode(code) || code === 58 || code === 46;
}

/**
 * 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16, 224/4 and 240/4, for a dotted
 * quad the pattern matched (each octet 0-255, no leading zeros). Plain arithmetic: a BlockList
 * lookup allocates a SocketAddress per candidate.
 */
function isNonPublicIPv4(address: string): boolean {
  const first = address.indexOf('.');
  const a = Number(address.slice(0, first));
  const b = Number(address.slice(first + 1, address.indexOf('.', first + 1)));
  return (
    a === 0 || // "this network"
    a === 10 || // private
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    a === 127 || // loopback
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) || // private
    (a === 192 && b === 168) || // private
    a >= 224 // multicast, reserved (incl. 255.255.255.255 and netmasks such as 255.255.255.0)
  );
}

/** Four dotted numbers right after 'version', 'section', … (and separators) number something. */
function isNumbering(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - numberingWindow), start);
  const word = numberingWordBefore.exec(before);
  if (word === null) return false;
  const at = Math.max(0, start - numberingWindow) + word.index;
  if (at === 0) return true;
  const previous = text.charCodeAt(at - 1);
  if (!isAsciiLetterCode(previous)) return true;
  // camelCase: 'AssemblyVersion', 'appVersion', 'buildRelease'
  const first = text.charCodeAt(at);
  return first >= 65 && first <= 90 && previous >= 97 && previous <= 122;
}

/** '::', '::1', 'a::b' are valid but look like C++ scopes or emoticons; keep 3+ groups. */
function segmentCount(candidate: string): number {
  let segments = 0;
  for (const part of candidate.split(':')) {
    if (part.length > 0) segments += part.includes('.') ? 2 : 1;
  }
  return segments;
}

function isNonPublicIPv6(address: string, nonPublic: BlockList): boolean {
  const embedded = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (embedded?.[1] !== undefined && isIPv4(embedded[1])) return isNonPublicIPv4(embedded[1]);
  return nonPublic.check(address, 'ipv6');
}

/** IPv6 ranges that say nothing about a person; the IPv4 ones are checked by `isNonPublicIPv4`. */
function nonPublicRanges(): BlockList {
  const ranges = new BlockList();
  ranges.addAddress('::', 'ipv6');
  ranges.addAddress('::1', 'ipv6');
  ranges.addSubnet('fe80::', 10, 'ipv6'); // link-local
  ranges.addSubnet('fc00::', 7, 'ipv6'); // unique local
  ranges.addSubnet('ff00::', 8, 'ipv6'); // multicast
  return ranges;
}
