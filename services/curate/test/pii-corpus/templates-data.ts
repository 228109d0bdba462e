import type { BuiltinPiiType } from '../../src/index.ts';
import type { PlantValue } from './builder.ts';
import type { TemplateContext, TextTemplate } from './context.ts';
import { secretOf } from './secrets.ts';

/*
 * Structured tool results: JSON documents an agent received from a tool call, and SQL result
 * tables. Personal data sits in named fields; the negatives are ids, amounts, timestamps,
 * cursors and card fingerprints.
 */

type JsonPiece =
  | { pii: PlantValue }
  | { negative: string; bare?: boolean }
  | { literal: string }
  | { object: Array<[string, JsonPiece]> }
  | { array: JsonPiece[] };

const escapeJson = (value: string): string => JSON.stringify(value).slice(1, -1);

/** Escapes a planted value for a JSON string and moves its span to match. */
function escapedPlant(pii: PlantValue): PlantValue {
  const start = pii.start ?? 0;
  const end = pii.end ?? pii.value.length;
  const escapedStart = escapeJson(pii.value.slice(0, start)).length;
  return { ...pii, value: escapeJson(pii.value), start: escapedStart, end: escapedStart + escapeJson(pii.value.slice(start, end)).length };
}

function writeJson(context: TemplateContext, piece: JsonPiece, indent: string | undefined, depth: number): void {
  const { builder } = context;
  const newline = indent === undefined ? '' : `\n${indent.repeat(depth + 1)}`;
  const closing = indent === undefined ? '' : `\n${indent.repeat(depth)}`;
  if ('pii' in piece) {
    builder.text('"').pii(escapedPlant(piece.pii)).text('"');
  } else if ('negative' in piece) {
    if (piece.bare === true) context.negative(piece.negative);
    else {
      builder.text('"');
      context.negative(piece.negative);
      builder.text('"');
    }
  } else if ('literal' in piece) {
    builder.text(piece.literal);
  } else if ('object' in piece) {
    builder.text('{');
    piece.object.forEach(([key, value], index) => {
      builder.text(`${index > 0 ? ',' : ''}${newline}"${key}":${indent === undefined ? '' : ' '}`);
      writeJson(context, value, indent, depth + 1);
    });
    builder.text(`${closing}}`);
  } else {
    builder.text('[');
    piece.array.forEach((value, index) => {
      builder.text(`${index > 0 ? ',' : ''}${newline}`);
      writeJson(context, value, indent, depth + 1);
    });
    builder.text(`${closing}]`);
  }
}

const neg = (kind: string, bare = false): JsonPiece => ({ negative: kind, bare });
const lit = (value: string): JsonPiece => ({ literal: JSON.stringify(value) });

const RECORDS: ReadonlyArray<readonly [tool: string, fields: () => Array<[string, JsonPiece]>]> = [
  ['lookup_customer', () => [['id', neg('customer_id')], ['object', lit('customer')], ['created', neg('epoch_s', true)], ['address', { object: [['city', lit('Austin')], ['postal_code', neg('zip_plus4')]] }], ['default_payment_method', { object: [['brand', lit('visa')], ['last4', neg('masked_card')], ['exp', neg('card_expiry')], ['fingerprint', neg('card_fingerprint')]] }]]],
  ['get_order', () => [['order_id', neg('order_number')], ['status', lit('shipped')], ['total', neg('price')], ['items', { array: [{ object: [['sku', neg('sku')], ['qty', { literal: '1' }], ['ean', neg('ean')]] }] }], ['shipped_at', neg('timestamp_iso')], ['tracking', neg('tracking_ups')]]],
  ['list_payouts', () => [['id', neg('request_id')], ['amount', neg('price')], ['arrival_date', neg('date_iso')], ['statement_descriptor', neg('invoice_number')]]],
  ['search_tickets', () => [['results', { array: [{ object: [['id', neg('ticket')], ['updated_at', neg('timestamp_iso')], ['account', neg('numeric_id')]] }] }], ['next_page_token', neg('pagination_token')], ['took_ms', neg('token_count', true)]]],
  ['get_session', () => [['session_id', neg('uuid')], ['user_agent', neg('user_agent')], ['app_version', neg('version_4part')], ['started_at', neg('epoch_ms', true)], ['node', neg('private_ipv4')]]],
  ['get_integration', () => [['integration', lit('stripe')], ['publishable_key', neg('publishable_key')], ['api_version', neg('date_iso')], ['webhook_id', neg('uuid')], ['last_sync', neg('timestamp_iso')]]],
];

const FIELD_FOR: Readonly<Record<Exclude<BuiltinPiiType, 'SECRET'>, readonly string[]>> = {
  EMAIL: ['email', 'billing_email', 'contact'],
  PHONE: ['phone', 'phone_number', 'mobile'],
  CREDIT_CARD: ['card_number', 'pan'],
  IBAN: ['iban', 'destination_iban'],
  US_SSN: ['ssn', 'tax_id_ssn'],
  IP_ADDRESS: ['last_login_ip', 'ip', 'client_ip'],
  URL_CREDENTIALS: ['dsn', 'connection_url'],
};

function piiField(context: TemplateContext, type: BuiltinPiiType): [string, JsonPiece] {
  if (type !== 'SECRET') return [context.rng.pick(FIELD_FOR[type]), { pii: context.draw(type) }];
  const secret = secretOf(context.rng, ['token', 'assigned', 'header', 'pem']);
  const key = secret.form === 'header' ? 'authorization' : secret.form === 'pem' ? 'private_key' : secret.envName.toLowerCase();
  return [key, { pii: secret.plant }];
}

export const jsonToolResult: TextTemplate = {
  kind: 'json_tool_result',
  piiWeights: [[5, 'EMAIL'], [4, 'PHONE'], [2, 'CREDIT_CARD'], [3, 'IBAN'], [2, 'US_SSN'], [3, 'IP_ADDRESS'], [2, 'SECRET'], [1, 'URL_CREDENTIALS']],
  render(context) {
    const { rng, builder } = context;
    const [tool, fields] = rng.pick(RECORDS);
    const object = fields();
    for (let type = context.takePii(); type !== undefined; type = context.takePii()) {
      object.splice(rng.int(1, object.length), 0, piiField(context, type));
    }
    const frame = rng.pick<readonly [string, string]>([[`Tool result (${tool}):\n`, ''], [`<tool_result name="${tool}">\n`, '\n</tool_result>'], ['', '']]);
    builder.text(frame[0]);
    writeJson(context, { object }, rng.chance(0.6) ? '  ' : undefined, 0);
    builder.text(frame[1]);
  },
};

const SQL_COLUMN: Readonly<Record<BuiltinPiiType, string>> = {
  EMAIL: 'email', PHONE: 'phone', CREDIT_CARD: 'card_number', IBAN: 'iban', US_SSN: 'ssn', IP_ADDRESS: 'signup_ip', URL_CREDENTIALS: 'source_dsn', SECRET: 'api_key',
};

export const sqlResult: TextTemplate = {
  kind: 'sql_result',
  piiWeights: [[5, 'EMAIL'], [4, 'PHONE'], [1, 'CREDIT_CARD'], [1, 'IBAN'], [1, 'US_SSN'], [2, 'IP_ADDRESS']],
  render(context) {
    const { rng, builder } = context;
    const piiColumns = context.pending.splice(0);
    const negativeColumns = rng.shuffle(['created_at', 'order_no', 'total', 'plan_version']).slice(0, rng.int(1, 3));
    const columns = ['id', ...piiColumns.map((type) => SQL_COLUMN[type]), ...negativeColumns];
    const negativeKind: Readonly<Record<string, string>> = { created_at: 'timestamp_log', order_no: 'order_number', total: 'price', plan_version: 'semver' };
    builder.text(`${rng.pick(['Query returned:', 'sql> SELECT * FROM customers WHERE plan = \'pro\' LIMIT 5;', ''])}\n ${columns.join(' | ')}\n${columns.map((column) => '-'.repeat(column.length + 2)).join('+')}\n`);
    const rows = rng.int(1, 4);
    for (let row = 0; row < rows; row++) {
      builder.text(` ${rng.int(1, 99_999)}`);
      for (const type of piiColumns) {
        builder.text(' | ');
        builder.pii(type === 'SECRET' ? secretOf(rng, ['token']).plant : context.draw(type));
      }
      for (const column of negativeColumns) {
        builder.text(' | ');
        context.negative(negativeKind[column] ?? 'uuid');
      }
      builder.text('\n');
    }
    builder.text(`(${rows} row${rows === 1 ? '' : 's'})`);
  },
};
