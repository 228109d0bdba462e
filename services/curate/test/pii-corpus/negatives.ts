import { luhnCheckDigit } from './values.ts';
import { ALNUM, DIGITS, HEX, UPPER, type Rng } from './rng.ts';
import { uuid } from './secrets.ts';

/*
 * Hard negatives: values that share a shape with PII (digit groups, dotted quads, long tokens,
 * '@', credential-sounding names) but identify nobody and unlock nothing. Each kind is a template
 * slot name; the builder records where each lands so that findings on them can be attributed.
 */

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function dateParts(rng: Rng): { y: number; m: string; d: string; hh: string; mm: string; ss: string } {
  return { y: rng.int(2019, 2026), m: pad(rng.int(1, 12)), d: pad(rng.int(1, 28)), hh: pad(rng.int(0, 23)), mm: pad(rng.int(0, 59)), ss: pad(rng.int(0, 59)) };
}

function ean13(rng: Rng): string {
  const payload = `${rng.int(400, 440)}${rng.digits(9)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (payload.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return payload + String((10 - (sum % 10)) % 10);
}

function isbn13(rng: Rng): string {
  const body = `978${rng.int(0, 1)}${rng.digits(8)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (body.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  const check = (10 - (sum % 10)) % 10;
  return `${body.slice(0, 3)}-${body[3]}-${body.slice(4, 7)}-${body.slice(7, 12)}-${check}`;
}

const privateIpv4 = (rng: Rng): string =>
  rng.pick([`10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, `192.168.${rng.int(0, 20)}.${rng.int(1, 254)}`, `172.${rng.int(16, 31)}.${rng.int(0, 255)}.${rng.int(1, 254)}`]);

export const NEGATIVES: Readonly<Record<string, (rng: Rng) => string>> = {
  timestamp_iso: (rng) => {
    const t = dateParts(rng);
    return `${t.y}-${t.m}-${t.d}T${t.hh}:${t.mm}:${t.ss}.${rng.digits(3)}Z`;
  },
  timestamp_log: (rng) => {
    const t = dateParts(rng);
    return rng.pick([`${t.y}-${t.m}-${t.d} ${t.hh}:${t.mm}:${t.ss},${rng.digits(3)}`, `${t.y}-${t.m}-${t.d} ${t.hh}:${t.mm}:${t.ss}+01:00`]);
  },
  timestamp_clf: (rng) => `${pad(rng.int(1, 28))}/${rng.pick(['Jan', 'Mar', 'Jul', 'Nov'])}/${rng.int(2023, 2026)}:${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))} +0000`,
  date_iso: (rng) => {
    const t = dateParts(rng);
    return `${t.y}-${t.m}-${t.d}`;
  },
  date_dmy: (rng) => {
    const t = dateParts(rng);
    return rng.pick([`${t.d}.${t.m}.${t.y}`, `${t.d}/${t.m}/${t.y}`, `${t.d} ${t.m} ${t.y}`]);
  },
  date_mdy: (rng) => {
    const t = dateParts(rng);
    return rng.pick([`${t.m}/${t.d}/${t.y}`, `${t.m}-${t.d}-${t.y}`]);
  },
  time_range: (rng) => `${pad(rng.int(7, 12))}:00-${pad(rng.int(13, 20))}:30`,
  card_expiry: (rng) => `${pad(rng.int(1, 12))}/${rng.int(26, 31)}`,
  uuid,
  request_id: (rng) => `req_${rng.chars(ALNUM, 24)}`,
  trace_id: (rng) => rng.chars(HEX, 32),
  git_sha: (rng) => rng.chars(HEX, 40),
  git_short_sha: (rng) => rng.chars(HEX, rng.pick([7, 8, 12])),
  sha256_digest: (rng) => `sha256:${rng.chars(HEX, 64)}`,
  semver: (rng) => `${rng.pick(['', 'v'])}${rng.int(0, 24)}.${rng.int(0, 40)}.${rng.int(0, 30)}${rng.pick(['', '', '', '-rc.1', '-beta.3'])}`,
  // Four-part versions; small parts read exactly like a dotted quad.
  version_4part: (rng) => rng.pick([`${rng.int(1, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)}`, `10.0.${rng.int(19041, 26100)}.${rng.int(1000, 4000)}`, `${rng.int(110, 131)}.0.${rng.int(6000, 6800)}.${rng.int(10, 200)}`]),
  user_agent: (rng) =>
    rng.pick([
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${rng.int(110, 131)}.0.0.0 Safari/537.36`,
      `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${rng.int(0, 6)} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${rng.int(0, 6)} Mobile/15E148 Safari/604.1`,
      `okhttp/4.${rng.int(9, 12)}.${rng.int(0, 3)}`,
    ]),
  order_number: (rng) => rng.pick([`#${rng.int(1_000_000, 9_999_999)}`, `ORD-${rng.int(2023, 2026)}-${pad(rng.int(1, 99_999), 5)}`, String(rng.int(100_000_000, 999_999_999))]),
  amazon_order: (rng) => `${rng.int(111, 114)}-${rng.digits(7)}-${rng.digits(7)}`,
  invoice_number: (rng) => `INV-${rng.int(2023, 2026)}-${pad(rng.int(1, 999_999), 6)}`,
  ticket: (rng) => rng.pick([`#${rng.int(1000, 99_999)}`, `SUP-${rng.int(100, 99_999)}`, `JIRA-${rng.int(100, 9999)}`]),
  price: (rng) => {
    const whole = rng.int(1, 12_999);
    const cents = pad(rng.int(0, 99));
    const grouped = whole.toLocaleString('en-US');
    return rng.pick([`$${grouped}.${cents}`, `€${whole},${cents}`, `${whole.toLocaleString('de-DE')},${cents} €`, `USD ${grouped}.${cents}`]);
  },
  duration: (rng) => rng.pick([`${rng.int(1, 9)}h ${rng.int(1, 59)}m ${rng.int(1, 59)}s`, `00:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}.${rng.digits(3)}`, `${rng.int(1, 9999)}ms`, `${rng.int(1, 90)}.${rng.int(0, 9)}s`]),
  file_size: (rng) => rng.pick([`${rng.int(1, 999)}.${rng.int(0, 9)} ${rng.pick(['KB', 'MB', 'GB'])}`, `${rng.int(100_000_000, 999_999_999)} bytes`, `${rng.int(1, 999).toLocaleString('en-US')},${pad(rng.int(0, 999), 3)} KB`]),
  port: (rng) => String(rng.pick([80, 443, 3000, 5432, 6379, 8080, 8443, 9092, 27017, rng.int(1024, 65535)])),
  localhost_url: (rng) => `http://localhost:${rng.pick([3000, 5173, 8000, 8080])}/${rng.pick(['api/health', 'graphql', 'v1/orders'])}`,
  epoch_s: (rng) => String(rng.int(1_600_000_000, 1_800_000_000)),
  epoch_ms: (rng) => String(rng.int(1_600_000_000, 1_800_000_000)) + rng.digits(3),
  sku: (rng) => rng.pick([`SKU ${rng.digits(4)}-${rng.digits(4)}-${rng.digits(2)}`, `P/N ${rng.int(100, 999)}-${rng.digits(4)}-${rng.digits(2)}`, `${UPPER[rng.int(0, 25)]}${UPPER[rng.int(0, 25)]}-${rng.int(1000, 9999)}-${rng.chars(UPPER, 2)}`]),
  isbn: isbn13,
  ean: ean13,
  upc: (rng) => `0${rng.digits(11)}`,
  // Device identifiers are Luhn-valid by construction, like card numbers.
  imei: (rng) => {
    const payload = `35${rng.digits(12)}`;
    return payload + String(luhnCheckDigit(payload));
  },
  iccid: (rng) => {
    const payload = `8944${rng.digits(14)}`;
    return payload + String(luhnCheckDigit(payload));
  },
  tracking_ups: (rng) => `1Z${rng.chars(UPPER + DIGITS, 6)}${rng.digits(10)}`,
  tracking_usps: (rng) => `9400 ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(2)}`,
  hex_address: (rng) => `0x${rng.pick(['7ffd', '7f3a', '5555', 'c000'])}${rng.chars(HEX, 8)}`,
  error_code: (rng) => rng.pick([`0x8007${rng.chars(HEX.toUpperCase(), 4)}`, `ERR_${rng.pick(['CARD_DECLINED', 'TIMEOUT', 'RATE_LIMIT'])}`, `E${rng.int(1000, 9999)}`]),
  private_ipv4: privateIpv4,
  loopback: (rng) => rng.pick(['127.0.0.1', '::1', `127.0.0.${rng.int(2, 9)}`, '0.0.0.0']),
  link_local_ipv6: (rng) => `fe80::${rng.chars(HEX, 4)}:${rng.chars(HEX, 4)}:${rng.chars(HEX, 4)}:${rng.chars(HEX, 4)}`,
  netmask: (rng) => rng.pick(['255.255.255.0', '255.255.0.0', '255.255.255.128']),
  coordinates: (rng) => `${rng.int(-60, 70)}.${rng.digits(4)}, ${rng.int(-120, 150)}.${rng.digits(4)}`,
  line_col: (rng) => `${rng.pick(['src/app.ts', 'lib/billing/charge.py', 'internal/api/handler.go'])}:${rng.int(1, 900)}:${rng.int(1, 80)}`,
  mac_address: (rng) => Array.from({ length: 6 }, () => rng.chars('0123456789ABCDEF', 2)).join(':'),
  bic: (rng) => `${rng.chars(UPPER, 4)}${rng.pick(['DE', 'GB', 'FR', 'NL'])}${rng.chars(UPPER + DIGITS, 2)}${rng.pick(['', 'XXX', '500'])}`,
  aws_arn: (rng) => `arn:aws:iam::${rng.int(100_000_000_000, 999_999_999_999)}:role/${rng.pick(['lambda-exec', 'ci-deploy', 'billing-reader'])}`,
  // Stripe publishable keys are public by design (shipped in every checkout page).
  publishable_key: (rng) => `pk_${'live'}_${rng.chars(ALNUM, 24)}`,
  placeholder_key: (rng) => rng.pick(['your-api-key-here', 'sk-...', '<YOUR_TOKEN>', 'changeme', 'xxxxxxxxxxxxxxxx', '${OPENAI_API_KEY}', 'REPLACE_ME_WITH_REAL_KEY']),
  env_reference: (rng) => rng.pick(['os.environ["OPENAI_API_KEY"]', 'process.env.STRIPE_SECRET_KEY', 'os.getenv("DB_PASSWORD")', 'settings.api_key', '${{ secrets.NPM_TOKEN }}']),
  token_count: (rng) => String(rng.pick([256, 1024, 2048, 4096, 8192, rng.int(10, 200_000)])),
  // Opaque pagination cursors: long and random, but they unlock nothing.
  pagination_token: (rng) => Buffer.from(`{"offset":${rng.int(1, 99_999)},"ts":${rng.int(1_600_000_000, 1_800_000_000)}}`).toString('base64'),
  masked_card: (rng) => rng.pick([`**** **** **** ${rng.digits(4)}`, `XXXX-XXXX-XXXX-${rng.digits(4)}`, `${rng.pick(['4', '5'])}${rng.digits(5)}******${rng.digits(4)}`]),
  masked_ssn: (rng) => `***-**-${rng.digits(4)}`,
  card_fingerprint: (rng) => rng.chars(ALNUM, 16),
  // Luhn-valid but far too short or too long to be a card.
  luhn_id: (rng) => {
    const payload = `${rng.int(1, 9)}${rng.digits(rng.pick([8, 9, 10]))}`;
    return payload + String(luhnCheckDigit(payload));
  },
  retina_image: (rng) => `${rng.pick(['icon', 'logo', 'avatar', 'hero'])}@${rng.pick(['2x', '3x'])}.png`,
  scoped_package: (rng) => `@${rng.pick(['types/node', 'babel/core', 'nestjs/common', 'aws-sdk/client-s3'])}@${rng.int(1, 24)}.${rng.int(0, 20)}.${rng.int(0, 9)}`,
  ssh_remote: (rng) => `git@${rng.pick(['github.com', 'gitlab.com', 'bitbucket.org'])}:${rng.pick(['acme', 'northwind'])}/${rng.pick(['api', 'web', 'infra'])}.git`,
  decorator: (rng) => rng.pick(['@Injectable()', '@app.route("/orders")', '@pytest.fixture', '@Override']),
  cve: (rng) => `CVE-${rng.int(2019, 2026)}-${rng.int(1000, 49_999)}`,
  zip_plus4: (rng) => `${rng.digits(5)}-${rng.digits(4)}`,
  percent: (rng) => `${rng.int(0, 100)}.${rng.digits(2)}%`,
  big_number: (rng) => rng.int(10_000, 99_999_999).toLocaleString('en-US'),
  http_status: (rng) => String(rng.pick([200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503])),
  k8s_pod: (rng) => `${rng.pick(['api', 'worker', 'billing'])}-${rng.chars('bcdfghjklmnpqrstvwxz2456789', 10)}-${rng.chars('bcdfghjklmnpqrstvwxz2456789', 5)}`,
  customer_id: (rng) => `cus_${rng.chars(ALNUM, 14)}`,
  // Ten-digit account and ticket numbers: a bare NANP phone number has the same shape.
  numeric_id: (rng) => String(rng.int(1_000_000_000, 9_999_999_999)),
};

export type NegativeKind = keyof typeof NEGATIVES;

export function isNegativeKind(name: string): boolean {
  return Object.hasOwn(NEGATIVES, name);
}
