import type { PlantValue } from './builder.ts';
import { ALNUM, DIGITS, HEX, LOWER, UPPER, type Rng } from './rng.ts';

/*
 * Planted personal data, valid where validity matters (Luhn, mod-97, SSA ranges, NANP rules,
 * public IP ranges), in the spellings people actually type. A few spellings the redactor is
 * documented to miss (bare ten-digit phones, seven-digit local numbers) are planted on purpose at
 * a small rate, so that recall reports what real text costs rather than what the rules cover.
 */

export const FIRST_NAMES = ['jane', 'john', 'maria', 'wei', 'fatima', 'lukas', 'aisha', 'carlos', 'emma', 'noah', 'priya', 'olga', 'kenji', 'sofia', 'mateo', 'chloe'];
export const LAST_NAMES = ['doe', 'smith', 'garcia', 'chen', 'khan', 'muller', 'okafor', 'rossi', 'novak', 'tanaka', 'silva', 'martin', 'nguyen', 'larsen', 'kowalski', 'brown'];
const MAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.co.uk', 'icloud.com', 'proton.me', 'acme-corp.com', 'northwind.io', 'uni-heidelberg.de', 'globex.co', 'hey.com', 'posteo.de', 'fastmail.fm', 'mail.example-bank.com'];

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

export function email(rng: Rng): PlantValue {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const shape = rng.weighted<[string, string]>([
    [4, ['first_dot_last', `${first}.${last}`]],
    [2, ['initial_last', `${first[0] ?? 'j'}${last}`]],
    [1, ['underscore_digits', `${first}_${last}${rng.int(1, 99)}`]],
    [1, ['plus_tag', `${first}+${rng.pick(['shop', 'news', 'billing', 'orders'])}`]],
    [1, ['capitalized', `${capitalize(first)}.${capitalize(last)}`]],
    [1, ['digits', `${first}${last}${rng.int(1970, 2005)}`]],
  ]);
  return { type: 'EMAIL', subtype: shape[0], value: `${shape[1]}@${rng.pick(MAIL_DOMAINS)}` };
}

/** NANP: area code and exchange start with 2-9; the area code's middle digit is not 9. */
function nanp(rng: Rng): [string, string, string] {
  return [`${rng.int(2, 9)}${rng.int(0, 8)}${rng.int(0, 9)}`, `${rng.int(2, 9)}${rng.digits(2)}`, rng.digits(4)];
}

export function phone(rng: Rng): PlantValue {
  const [area, exchange, line] = nanp(rng);
  const [subtype, value] = rng.weighted<[string, string]>([
    [4, ['nanp_dashed', `${area}-${exchange}-${line}`]],
    [4, ['nanp_parens', `(${area}) ${exchange}-${line}`]],
    [2, ['nanp_dotted', `${area}.${exchange}.${line}`]],
    [1, ['nanp_spaced', `${area} ${exchange} ${line}`]],
    [3, ['nanp_plus1', `+1 ${area}-${exchange}-${line}`]],
    [1, ['nanp_plus1_parens', `+1 (${area}) ${exchange}-${line}`]],
    [1, ['nanp_1_dashed', `1-${area}-${exchange}-${line}`]],
    [2, ['uk_london_intl', `+44 20 ${rng.int(3, 8)}${rng.digits(3)} ${rng.digits(4)}`]],
    [2, ['uk_london_national', `020 ${rng.int(3, 8)}${rng.digits(3)} ${rng.digits(4)}`]],
    [2, ['uk_mobile_intl', `+44 7${rng.int(4, 9)}${rng.digits(2)} ${rng.digits(6)}`]],
    [2, ['uk_mobile_national', `07${rng.int(4, 9)}${rng.digits(2)} ${rng.digits(6)}`]],
    [2, ['de_landline_intl', `+49 30 ${rng.int(2, 9)}${rng.digits(7)}`]],
    [1, ['de_trunk_in_parens', `+49 (0)89 ${rng.int(2, 9)}${rng.digits(6)}`]],
    [1, ['uk_trunk_in_parens', `+44 (0)20 ${rng.int(3, 8)}${rng.digits(3)} ${rng.digits(4)}`]],
    [2, ['de_mobile_national', `015${rng.int(1, 9)} ${rng.int(1, 9)}${rng.digits(7)}`]],
    [2, ['fr_mobile_intl', `+33 6 ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`]],
    [2, ['fr_mobile_national', `06 ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`]],
    [2, ['e164_compact', `+1${area}${exchange}${line}`]],
    // Documented misses: no separators and no '+', or no area code.
    [1, ['nanp_bare_digits', `${area}${exchange}${line}`]],
    [0.5, ['local_seven_digits', `${exchange}-${line}`]],
  ]);
  return { type: 'PHONE', subtype, value };
}

export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let digit = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

function cardNumber(rng: Rng, prefix: string, length: number): string {
  const payload = prefix + rng.digits(length - prefix.length - 1);
  return payload + String(luhnCheckDigit(payload));
}

function groups(digits: string, sizes: readonly number[], separator: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join(separator);
}

export function creditCard(rng: Rng): PlantValue {
  const [brand, prefix, length] = rng.weighted<[string, string, number]>([
    [5, ['visa', '4' + rng.digits(5), 16]],
    [3, ['mastercard', String(rng.int(51, 55)) + rng.digits(4), 16]],
    [1, ['mastercard_2series', String(rng.int(2221, 2720)) + rng.digits(2), 16]],
    [2, ['amex', rng.pick(['34', '37']) + rng.digits(4), 15]],
    [1, ['discover', '6011' + rng.digits(2), 16]],
    [1, ['jcb', String(rng.int(3528, 3589)) + rng.digits(2), 16]],
    [0.5, ['diners', '36' + rng.digits(4), 14]],
  ]);
  const digits = cardNumber(rng, prefix, length);
  const printed = length === 15 ? [4, 6, 5] : length === 14 ? [4, 6, 4] : [4, 4, 4, 4];
  const [layout, value] = rng.weighted<[string, string]>([
    [5, ['spaced', groups(digits, printed, ' ')]],
    [2, ['dashed', groups(digits, printed, '-')]],
    [3, ['bare', digits]],
  ]);
  return { type: 'CREDIT_CARD', subtype: `${brand}_${layout}`, value };
}

/** BBAN layouts from the SWIFT registry: n digits, a upper-case letters, c upper-case alphanumerics. */
const IBAN_LAYOUTS: ReadonlyArray<readonly [country: string, layout: string]> = [
  ['DE', '18n'], ['GB', '4a14n'], ['FR', '10n11c2n'], ['NL', '4a10n'], ['ES', '20n'], ['IT', '1a10n12c'],
  ['CH', '5n12c'], ['BE', '12n'], ['AT', '16n'], ['PL', '24n'], ['IE', '4a14n'],
];

function mod97(value: string): number {
  let remainder = 0;
  for (const char of value) {
    const code = char.charCodeAt(0);
    remainder = code >= 65 ? (remainder * 100 + (code - 55)) % 97 : (remainder * 10 + (code - 48)) % 97;
  }
  return remainder;
}

export function ibanFor(rng: Rng, country: string, layout: string): string {
  let bban = '';
  for (const [, count, kind] of layout.matchAll(/(\d+)([nac])/g)) {
    bban += rng.chars(kind === 'n' ? DIGITS : kind === 'a' ? UPPER : UPPER + DIGITS, Number(count));
  }
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

export function iban(rng: Rng): PlantValue {
  const [country, layout] = rng.pick(IBAN_LAYOUTS);
  const compact = ibanFor(rng, country, layout);
  const grouped = rng.chance(0.6);
  return { type: 'IBAN', subtype: `${country.toLowerCase()}_${grouped ? 'grouped' : 'compact'}`, value: grouped ? compact.replace(/(.{4})(?=.)/g, '$1 ') : compact };
}

const KNOWN_FAKE_SSNS = new Set(['078051120', '219099999', '123456789']);

/** SSA rules: area 001-899 except 666, group 01-99, serial 0001-9999. */
export function ssnDigits(rng: Rng): string {
  for (;;) {
    const area = rng.int(1, 899);
    if (area === 666) continue;
    const digits = `${String(area).padStart(3, '0')}${String(rng.int(1, 99)).padStart(2, '0')}${String(rng.int(1, 9999)).padStart(4, '0')}`;
    if (!KNOWN_FAKE_SSNS.has(digits)) return digits;
  }
}

/**
 * Bare nine digits count as an SSN only near a keyword; chat templates put one within a few
 * words, but field names (`tax_id_ssn`, `OWNER_SSN`) and table headers are what real data has.
 */
export function ssn(rng: Rng): PlantValue {
  const digits = ssnDigits(rng);
  const [subtype, value] = rng.weighted<[string, string]>([
    [7, ['dashed', `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`]],
    [1, ['spaced', `${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`]],
    [2, ['bare_nine_digits', digits]],
  ]);
  return { type: 'US_SSN', subtype, value };
}

/** First octets outside private, loopback, CGNAT (100.64/10), link-local, multicast and reserved. */
const PUBLIC_FIRST_OCTETS = [...Array.from({ length: 223 }, (_, i) => i + 1)].filter(
  (octet) => ![10, 100, 127, 169, 172, 192].includes(octet),
);

export function publicIpv4(rng: Rng): string {
  return `${rng.pick(PUBLIC_FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function ipAddress(rng: Rng): PlantValue {
  const hextet = (): string => rng.chars(HEX, rng.int(1, 4)).replace(/^0+(?=.)/, '');
  const [subtype, value] = rng.weighted<[string, string]>([
    [6, ['ipv4_public', publicIpv4(rng)]],
    [1, ['ipv4_documentation', `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 254)}`]],
    [1, ['ipv6_full', [rng.pick(['2a02', '2a01', '2607', '2001', '2804']), ...Array.from({ length: 7 }, hextet)].join(':')]],
    [0.5, ['ipv4_mapped_ipv6', `::ffff:${publicIpv4(rng)}`]],
    [1, ['ipv6_compressed', `${rng.pick(['2a02:8108', '2606:4700', '2001:db8', '2a00:1450'])}:${hextet()}::${hextet()}:${hextet()}`]],
  ]);
  return { type: 'IP_ADDRESS', subtype, value };
}

const DB_USERS = ['admin', 'app_user', 'postgres', 'deploy', 'svc-billing', 'root', 'readonly', 'etl'];

/** `urlSafe` leaves out '#', '?' and '$', which would end or break a URL authority. */
export function password(rng: Rng, urlSafe = false): string {
  const symbols = urlSafe ? ['!', '*', '-', '_', '~'] : ['!', '#', '$', '*', '?', '%', '-', '_'];
  return rng.weighted<string>([
    [3, rng.chars(ALNUM + symbols.join(''), rng.int(12, 24))],
    [2, `${capitalize(rng.pick(['summer', 'winter', 'falcon', 'orange', 'rocket', 'meadow']))}${rng.int(1990, 2026)}${rng.pick(symbols)}`],
    [1, `${rng.chars(LOWER, 5)}${rng.digits(3)}${rng.chars(UPPER, 2)}`],
  ]);
}

/** A connection string; only its `user:pass` (the URL userinfo) is the planted span. */
export function urlCredentials(rng: Rng): PlantValue {
  const [scheme, host, port, path] = rng.pick<readonly [string, string, string, string]>([
    ['postgres', 'db.internal', ':5432', '/orders'],
    ['postgresql', `prod-db.${rng.chars(LOWER + DIGITS, 8)}.eu-west-1.rds.amazonaws.com`, ':5432', '/app'],
    ['mysql', 'mysql.prod.svc.cluster.local', ':3306', '/shop'],
    ['mongodb+srv', `cluster0.${rng.chars(LOWER + DIGITS, 5)}.mongodb.net`, '', '/?retryWrites=true&w=majority'],
    ['redis', 'cache.internal', ':6379', '/0'],
    ['amqp', 'rabbitmq', ':5672', '/%2F'],
    ['https', 'git.acme-corp.com', '', '/platform/api.git'],
    ['ftp', 'files.northwind.io', ':21', '/upload'],
  ]);
  const user = scheme === 'redis' && rng.chance(0.5) ? '' : rng.pick(DB_USERS);
  const userinfo = `${user}:${password(rng, true)}`;
  const prefix = `${scheme}://`;
  return {
    type: 'URL_CREDENTIALS',
    subtype: user === '' ? `${scheme}_password_only` : scheme,
    value: `${prefix}${userinfo}@${host}${port}${path}`,
    start: prefix.length,
    end: prefix.length + userinfo.length,
  };
}
