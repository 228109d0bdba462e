import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIpAddressDetector } from '../../src/pii/ip-address.ts';
import { valuesOf } from './helpers.ts';

const publicOnly = createIpAddressDetector({ includePrivate: false });
const withPrivate = createIpAddressDetector({ includePrivate: true });

describe('IP_ADDRESS detector', () => {
  const positives: Array<[string, string]> = [
    ['client 8.8.8.8 connected', '8.8.8.8'],
    ['from 81.2.69.160:443', '81.2.69.160'],
    ['high octets 223.254.253.1', '223.254.253.1'],
    ['documentation range 203.0.113.7', '203.0.113.7'],
    ['end of sentence 198.51.100.23.', '198.51.100.23'],
    ['http://93.184.216.34/index.html', '93.184.216.34'],
    ['full 2001:0db8:85a3:0000:0000:8a2e:0370:7334 here', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
    ['compressed 2607:f8b0:4005:80b::200e', '2607:f8b0:4005:80b::200e'],
    ['documentation 2001:db8::1', '2001:db8::1'],
    ['bracketed [2001:db8::8a2e:370:7334]:8443', '2001:db8::8a2e:370:7334'],
    ['mapped ::ffff:8.8.8.8 inside', '::ffff:8.8.8.8'],
    ['trailing dot 2001:db8::42.', '2001:db8::42'],
    ['server: 8.8.8.8', '8.8.8.8'],
    ['{"server": "93.184.216.34"}', '93.184.216.34'],
    ['observer 81.2.69.160 said', '81.2.69.160'],
    ['prefix glued to a word msg:2001:db8::1 is not one, but msg 2001:db8::2 is', '2001:db8::2'],
  ];
  for (const [text, expected] of positives) {
    it(`finds ${expected}`, () => assert.deepEqual(valuesOf(publicOnly, text), [expected]));
  }

  const privateAddresses = ['10.0.0.1', '192.168.1.20', '172.16.4.4', '127.0.0.1', '169.254.169.254', '100.64.0.1', 'fe80::1:2', 'fd12:3456:789a::1', '::ffff:10.1.2.3'];
  it('skips private, loopback, link-local and CGNAT addresses by default', () => {
    for (const address of privateAddresses) assert.deepEqual(valuesOf(publicOnly, `host ${address} up`), [], address);
  });
  it('finds them with includePrivate', () => {
    for (const address of privateAddresses) assert.deepEqual(valuesOf(withPrivate, `host ${address} up`), [address], address);
  });

  const negatives: Array<[reason: string, text: string]> = [
    ['octet above 255', 'value 256.1.1.1 and 1.300.2.3'],
    ['leading zero', 'value 01.2.3.4 and 1.2.3.04'],
    ['version string with five parts', 'release 1.2.3.4.5'],
    ['prefixed version', 'release v1.2.3.4'],
    ['numbered section or version', 'see section 24.5.1.1 of version 8.8.8.8 and rfc7231.html#section-7.1.1.1'],
    ['three parts', 'release 1.2.3'],
    ['glued to letters', 'build 8.8.8.8a and a8.8.8.8'],
    ['netmask (reserved range)', 'mask 255.255.255.0'],
    ['clock time', 'at 12:30:45'],
    ['MAC address', 'mac 00:1a:2b:3c:4d:5e'],
    ['C++ scope', 'std::vector and a::b'],
    ['two-group IPv6 shorthand', 'value ab::cd'],
    ['IPv6 loopback (private)', 'bind ::1'],
    ['invalid IPv6 (two ::)', '2001::db8::1'],
    ['a /8 network address (reduced Chrome user agent)', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'],
    ['a four-part version after version=', 'app_version=2.0.0.1 APP_VERSION=8.8.8.8'],
    ['a four-part version in JSON', '{"app_version": "2.4.6.8", "version":"8.8.4.4"}'],
    ['a four-part version in a call', 'AssemblyVersion("4.2.1.0") and [assembly: AssemblyFileVersion("4.2.1.0")]'],
    ['a version in escaped JSON', '{\\"app_version\\": \\"2.4.6.8\\"}'],
  ];
  for (const [reason, text] of negatives) {
    it(`ignores ${reason}`, () => assert.deepEqual(valuesOf(publicOnly, text), []));
  }
});
