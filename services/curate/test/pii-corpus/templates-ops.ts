import type { BuiltinPiiType } from '../../src/index.ts';
import type { PlantValue } from './builder.ts';
import type { TemplateContext, TextTemplate } from './context.ts';
import { secretOf } from './secrets.ts';

/*
 * Machine text pasted into conversations or returned by tools: log lines, stack traces, JSON
 * tool results and SQL result tables. Timestamps, request ids, latencies, private addresses and
 * user agents fill these; personal data shows up in a field or an error message.
 */

function drawAny(context: TemplateContext, type: BuiltinPiiType): PlantValue {
  return type === 'SECRET' ? secretOf(context.rng, ['token', 'header']).plant : context.draw(type);
}

const LOG_NEGATIVE_LINES = [
  '{timestamp_iso} INFO  [{request_id}] GET /api/v1/orders/{numeric_id} {http_status} {ms}ms',
  '{timestamp_log} WARN  payment: charge {uuid} declined for card {masked_card} ({error_code})',
  '{timestamp_iso} INFO  deploy: release {semver} ({git_short_sha}) rolled out to {k8s_pod}',
  'level=info ts={epoch_ms} msg="cache hit" key=session:{uuid} size={file_size}',
  '{timestamp_iso} INFO  worker: processed {big_number} events in {duration}',
  '{timestamp_iso} ERROR db: connect ECONNREFUSED {private_ipv4}:{port}',
  '{private_ipv4} - - [{timestamp_clf}] "GET /health HTTP/1.1" {http_status} {n} "-" "{user_agent}"',
  '{timestamp_iso} DEBUG http: upstream {private_ipv4}:{port} responded in {duration} trace_id={trace_id}',
  '{timestamp_iso} INFO  scheduler: next run at {epoch_s} (in {duration})',
  '{timestamp_log} INFO  shipping: label {tracking_ups} created for {order_number}',
  '{timestamp_iso} WARN  gc: heap {percent} of {file_size}, pause {ms}ms',
  '{timestamp_iso} INFO  llm: model={model} prompt_tokens={token_count} completion_tokens={token_count} latency={ms}ms',
  '{timestamp_iso} INFO  client ua="{user_agent}" app_version={version_4part}',
  '{timestamp_iso} INFO  net: eth0 ether {mac_address} inet {private_ipv4} netmask {netmask} inet6 {link_local_ipv6}',
];

const LOG_PII_LINES: Readonly<Record<BuiltinPiiType, readonly string[]>> = {
  IP_ADDRESS: [
    '{pii} - - [{timestamp_clf}] "POST /api/login HTTP/1.1" {http_status} {n} "-" "{user_agent}"',
    '{timestamp_iso} WARN  auth: 5 failed logins from {pii} in {duration}',
    '{timestamp_iso} INFO  [{request_id}] client_ip={pii} x_forwarded_for="{private_ipv4}" status={http_status}',
  ],
  EMAIL: ['{timestamp_log} WARN  auth: failed login for {pii} ({n} attempts)', '{timestamp_iso} INFO  mailer: sent receipt {invoice_number} to {pii}'],
  PHONE: ['{timestamp_iso} DEBUG sms: OTP sent to {pii} via twilio sid={request_id}', '{timestamp_iso} INFO  support: callback requested for {pii}'],
  URL_CREDENTIALS: ['{timestamp_iso} ERROR db: connection to {pii} failed after {duration}'],
  SECRET: ['{timestamp_iso} DEBUG http: > Authorization: {pii}', '{timestamp_iso} WARN  config: using key {pii} from fallback file'],
  CREDIT_CARD: ['{timestamp_iso} ERROR payment: gateway rejected pan={pii} exp={card_expiry}'],
  IBAN: ['{timestamp_iso} INFO  payouts: SEPA transfer {invoice_number} to {pii} queued'],
  US_SSN: ['{timestamp_iso} WARN  kyc: ssn={pii} failed verification for {customer_id}'],
};

/** Headers are logged with their scheme ('Authorization: Bearer …'); bare tokens are not. */
function fitsLine(template: string, pii: PlantValue): boolean {
  const isHeader = pii.subtype.startsWith('bearer') || pii.subtype === 'basic_auth';
  return template.includes('Authorization') === isHeader;
}

export const logLines: TextTemplate = {
  kind: 'log_lines',
  piiWeights: [[8, 'IP_ADDRESS'], [4, 'EMAIL'], [2, 'PHONE'], [1, 'URL_CREDENTIALS'], [2, 'SECRET'], [1, 'CREDIT_CARD'], [0.5, 'IBAN'], [0.5, 'US_SSN']],
  render(context) {
    const { rng, builder } = context;
    const slots: Array<BuiltinPiiType | undefined> = [...Array.from({ length: rng.int(3, 12) }, () => undefined), ...context.pending.splice(0)];
    for (const [index, type] of rng.shuffle(slots).entries()) {
      if (index > 0) builder.text('\n');
      if (type === undefined) {
        context.say(rng.pick(LOG_NEGATIVE_LINES));
        continue;
      }
      const pii = drawAny(context, type);
      if (type === 'EMAIL' && rng.chance(0.15)) {
        // Query strings carry addresses percent-encoded.
        const encoded = { ...pii, subtype: 'percent_encoded_in_url', value: pii.value.replace('@', '%40') };
        context.say('{timestamp_iso} INFO  [{request_id}] GET /invite/accept?email={pii}&ref={request_id} {http_status}', { pii: encoded });
        continue;
      }
      context.say(rng.pick(LOG_PII_LINES[type].filter((template) => type !== 'SECRET' || fitsLine(template, pii))), { pii });
    }
  },
};

const TRACE_MESSAGES: Readonly<Record<BuiltinPiiType, readonly string[]>> = {
  EMAIL: ['customer {pii} has no default payment method', 'duplicate key value violates unique constraint "users_email_key": Key (email)=({pii}) already exists'],
  PHONE: ['invalid phone number for E.164 normalisation: {pii}'],
  CREDIT_CARD: ['card {pii} was declined: insufficient_funds'],
  IBAN: ['IBAN {pii} is not reachable via SEPA Instant'],
  US_SSN: ['ssn {pii} already registered to another account'],
  IP_ADDRESS: ['connection from {pii} refused: not in allow-list'],
  URL_CREDENTIALS: ['could not connect to {pii}: timeout expired'],
  SECRET: ['Incorrect API key provided: {pii}', 'Bad credentials for token {pii}'],
};

function traceMessage(context: TemplateContext): void {
  const type = context.takePii();
  if (type === undefined) {
    context.say(context.rng.pick(['request {uuid} timed out after {ms}ms', 'connect ECONNREFUSED {private_ipv4}:{port}', 'index 4 out of bounds for length {n}', 'rate limited until {timestamp_iso}']));
    return;
  }
  const pii = type === 'SECRET' ? secretOf(context.rng, ['token']).plant : context.draw(type);
  context.say(context.rng.pick(TRACE_MESSAGES[type]), { pii });
}

const TRACES: ReadonlyArray<(context: TemplateContext) => void> = [
  (context) => {
    context.say('Traceback (most recent call last):\n  File "/app/{service}/handlers.py", line {n}, in handle\n    result = charge(customer, amount)\n  File "/app/{service}/billing.py", line {n}, in charge\n    raise PaymentError(msg)\nPaymentError: ');
    traceMessage(context);
  },
  (context) => {
    context.say('Error: ');
    traceMessage(context);
    context.say('\n    at Client.request (/srv/app/node_modules/@acme/sdk/dist/client.js:{n}:{n})\n    at async processOrder ({line_col})\n    at async Worker.run (/srv/app/dist/worker.js:{n}:{n}) {\n  code: \'{error_code}\',\n  requestId: \'{request_id}\'\n}');
  },
  (context) => {
    context.say('Exception in thread "pool-{n}-thread-{n}" java.lang.IllegalStateException: ');
    traceMessage(context);
    context.say('\n\tat com.acme.{service}.ChargeService.charge(ChargeService.java:{n})\n\tat com.acme.{service}.Worker.run(Worker.java:{n})\n\tat java.base/java.lang.Thread.run(Thread.java:{n})');
  },
  (context) => {
    context.say('panic: ');
    traceMessage(context);
    context.say('\n\ngoroutine {n} [running]:\nmain.(*Server).handle({hex_address}, {hex_address})\n\t/app/internal/api/handler.go:{n} +0x{n}\ncreated by net/http.(*Server).Serve in goroutine {n}');
  },
];

export const stackTrace: TextTemplate = {
  kind: 'stack_trace',
  piiWeights: [[4, 'EMAIL'], [2, 'URL_CREDENTIALS'], [2, 'SECRET'], [2, 'IP_ADDRESS'], [1, 'PHONE'], [1, 'CREDIT_CARD'], [0.5, 'IBAN'], [0.5, 'US_SSN']],
  render(context) {
    const { rng, builder } = context;
    builder.text(rng.pick(['', 'User: the worker keeps crashing with this:\n\n', 'Tool output:\n']));
    do {
      rng.pick(TRACES)(context);
      if (context.pending.length > 0) builder.text('\n\nThe retry failed too:\n');
    } while (context.pending.length > 0);
    builder.text(rng.pick(['', `\n\n(seen ${rng.int(2, 90)} times since yesterday)`]));
  },
};
