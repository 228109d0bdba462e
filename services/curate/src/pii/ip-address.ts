import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { overlapsSorted } from './resolve-overlaps.ts';
import { forEachMatch } from './text-profile.ts';
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
const octet = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const ipv4Pattern = new RegExp(String.raw`(?<![\w.])(?:${octet}\.){3}${octet}(?![\w]|\.\d)`, 'g');
// 'section 24.5.1.1', '#section-7.1.1.1', 'version 1.2.3.4': dotted numbers that number something.
const numberingWordBefore = /(?:version|release|section|chapter|build|rev|ver|§)[\s#:_-]*$/i;
// A candidate is any run of hex digits, ':' and '.' holding at least two colons; node:net's
// parser then decides. Capped at 45 characters (the longest textual IPv6) to stay linear.
const ipv6CandidatePattern = /(?<![\w:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]{2,44}(?![\w:.])/g;

export function createIpAddressDetector(options: IpAddressOptions): Detector {
  const nonPublic = options.includePrivate ? undefined : nonPublicRanges();
  return {
    type: 'IP_ADDRESS',
    detect(text: string, profile: TextProfile, out: Span[]): void {
      // IPv6 first, so that the IPv4 tail of '::ffff:8.8.8.8' is not reported a second time.
      const ipv6: Span[] = [];
      if (profile.hasColon && (text.includes('::') || hasManyColons(text))) {
        forEachMatch(ipv6CandidatePattern, text, (match) => {
          const candidate = match[0].replace(/\.+$/, ''); // sentence-ending dot
          if (!isIPv6(candidate) || segmentCount(candidate) < 3) return;
          if (nonPublic !== undefined && isNonPublicIPv6(candidate, nonPublic)) return;
          ipv6.push({ type: 'IP_ADDRESS', start: match.index, end: match.index + candidate.length, value: candidate });
        });
      }
      for (const span of ipv6) out.push(span);
      if (profile.digits >= 4 && text.includes('.')) {
        forEachMatch(ipv4Pattern, text, (match) => {
          if (nonPublic?.check(match[0], 'ipv4') === true) return;
          if (numberingWordBefore.test(text.slice(Math.max(0, match.index - 12), match.index))) return;
          const span: Span = { type: 'IP_ADDRESS', start: match.index, end: match.index + match[0].length, value: match[0] };
          if (!overlapsSorted(ipv6, span)) out.push(span);
        });
      }
    },
  };
}

/** A full IPv6 address without '::' has seven colons; fewer cannot be one. */
function hasManyColons(text: string): boolean {
  let colons = 0;
  for (let at = text.indexOf(':'); at !== -1 && colons < 7; at = text.indexOf(':', at + 1)) colons++;
  return colons >= 7;
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
  if (embedded?.[1] !== undefined && isIPv4(embedded[1])) return nonPublic.check(embedded[1], 'ipv4');
  return nonPublic.check(address, 'ipv6');
}

function nonPublicRanges(): BlockList {
  const ranges = new BlockList();
  const ipv4: Array<[string, number]> = [
    ['0.0.0.0', 8], // "this network"
    ['10.0.0.0', 8], // private
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8], // loopback
    ['169.254.0.0', 16], // link-local
    ['172.16.0.0', 12], // private
    ['192.168.0.0', 16], // private
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, incl. 255.255.255.255 and netmasks such as 255.255.255.0
  ];
  for (const [network, prefix] of ipv4) ranges.addSubnet(network, prefix, 'ipv4');
  ranges.addAddress('::', 'ipv6');
  ranges.addAddress('::1', 'ipv6');
  ranges.addSubnet('fe80::', 10, 'ipv6'); // link-local
  ranges.addSubnet('fc00::', 7, 'ipv6'); // unique local
  ranges.addSubnet('ff00::', 8, 'ipv6'); // multicast
  return ranges;
}
