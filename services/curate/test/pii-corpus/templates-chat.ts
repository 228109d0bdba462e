import type { BuiltinPiiType } from '../../src/index.ts';
import type { PlantValue } from './builder.ts';
import type { TemplateContext, TextTemplate } from './context.ts';
import { secretOf } from './secrets.ts';

/*
 * Customer-support conversations: a user describes an order, a payment or an account problem and
 * an assistant answers. Hard negatives (order numbers, prices, dates, versions, tracking numbers)
 * appear in nearly every turn, as they do in real support logs.
 */

const USER_ISSUES = [
  'Hi, I placed order {order_number} on {date_mdy} and it still hasn\'t shipped.',
  'Hello! My order {amazon_order} was charged {price} but invoice {invoice_number} says something else.',
  'The app crashed at {timestamp_iso} right after I updated to {semver}.',
  'Tracking number {tracking_ups} hasn\'t moved since {date_dmy}.',
  'USPS says {tracking_usps} was delivered, but nothing arrived.',
  'I bought {sku} for {price} and got the wrong size.',
  'The export is {file_size} and the download stops after {duration}.',
  'Our webhook keeps timing out after {duration}, request id {uuid}.',
  'The barcode on the box says {ean}, is that the right model?',
  'I\'m on build {version_4part}, is that the latest one?',
  'Can you check ticket {ticket}? I opened it on {date_iso}.',
  'Payment of {price} failed with error {error_code}.',
  'The card ending {masked_card} was declined on {date_mdy}.',
  'The book (ISBN {isbn}) arrived damaged.',
  'The delivery window was {date_mdy} between {time_range} and nobody came.',
  'We went over quota: {percent} used, {big_number} requests this month.',
  'Account {numeric_id} shows {product} twice since {date_iso}.',
  'My zip is {zip_plus4} but checkout says it is invalid.',
  'Since {timestamp_log} every request returns {http_status}.',
  'I was billed {price} on {date_dmy} and again {price} on {date_dmy}.',
  'The replacement phone (IMEI {imei}) still shows no signal with SIM {iccid}.',
  'The label says UPC {upc} but the box says {sku}.',
  'My membership number is {luhn_id} and the discount did not apply.',
];

const USER_CLOSERS = ['Thanks!', 'Can you help?', 'This is the third time I ask.', 'Please advise.', 'Thanks in advance, {first}', '', ''];

const ASSISTANT = [
  'Thanks for reaching out! I can see order {order_number} was created on {timestamp_log}.',
  'Your refund of {price} was issued on {date_iso} under reference {invoice_number}.',
  'I\'ve escalated this as ticket {ticket}; the team usually replies within {duration}.',
  'Version {semver} fixed that bug, so please update from {semver}.',
  'Session {uuid} shows the error at {timestamp_iso}.',
  'For security I can only see the last digits: {masked_card}.',
  'I can see the SSN on file as {masked_ssn}, so that part is fine.',
  'Please don\'t share full card numbers in chat.',
  'The parcel {tracking_ups} is at the depot in {city} since {date_dmy}.',
  'Is there anything else I can help you with?',
  'I\'ve applied a credit of {price} to account {customer_id}.',
  'Our status page showed degraded performance from {timestamp_iso} for {duration}.',
  'The replacement ({sku}) ships on {date_mdy}.',
  'The driver\'s last GPS fix was {coordinates} at {timestamp_log}.',
  'Let me check that for you. - {agent}',
];

const USER_PII: Readonly<Record<BuiltinPiiType, readonly string[]>> = {
  EMAIL: [
    'You can reach me at {pii}.',
    'My login is {pii} but the reset link never arrives.',
    'Please send the invoice to {pii} instead.',
    'cc my colleague {first} ({pii}) on this please.',
    'Contact: {first} {last} <{pii}>',
    'I changed my email to {pii} on {date_dmy}.',
  ],
  PHONE: [
    'Call me at {pii} after 5pm.',
    'My new number is {pii}.',
    'You can text {pii} if that is easier.',
    'Phone: {pii}',
    'The courier called from {pii} but I missed it.',
    'Best number to reach me: {pii} (mobile)',
  ],
  CREDIT_CARD: [
    'I was charged twice on my card {pii}.',
    'Card number {pii}, exp {card_expiry}, cvc {cvc}.',
    'Can you refund it to {pii} instead?',
    'Here is the card: {pii} (the one I used on {date_mdy}).',
  ],
  IBAN: [
    'Please refund to my IBAN {pii}.',
    'IBAN: {pii}, BIC {bic}',
    'The transfer went to {pii} on {date_dmy}, reference {invoice_number}.',
    'My bank details changed, new account {pii}.',
  ],
  US_SSN: [
    'My SSN is {pii}.',
    'The form asked for my social security number and I entered {pii}.',
    'SSN: {pii}, DOB {date_mdy}',
    'For the tax form, SSN {pii}.',
  ],
  IP_ADDRESS: [
    'My IP is {pii}, can you whitelist it?',
    'The login alert said it came from {pii}, that wasn\'t me.',
    'Our office egress IP is {pii}.',
    'Requests from {pii} get {http_status} since {date_iso}.',
  ],
  URL_CREDENTIALS: ['The connection string is {pii} and it times out.', 'I set the source to {pii} in the dashboard, is that right?'],
  SECRET: [
    'Here\'s my API key {pii}, why does every call return {http_status}?',
    'I accidentally pasted my token {pii} into a public issue, what do I do?',
    'Using key {pii} and still getting quota errors.',
  ],
};

const ASSISTANT_PII: Partial<Record<BuiltinPiiType, readonly string[]>> = {
  EMAIL: ['I\'ve updated the account email to {pii}.', 'A confirmation was sent to {pii} at {timestamp_log}.'],
  PHONE: ['We have {pii} as your phone number on file, is that still correct?'],
  IBAN: ['The refund will go to {pii} within {n} business days.'],
};

function plantValue(context: TemplateContext, type: BuiltinPiiType): PlantValue {
  return type === 'SECRET' ? secretOf(context.rng, ['token', 'token', 'header']).plant : context.draw(type);
}

/** Bare header values read oddly in prose; prefix them the way users paste them. */
function sayPii(context: TemplateContext, templates: readonly string[], type: BuiltinPiiType): void {
  const pii = plantValue(context, type);
  const template = context.rng.pick(templates);
  context.say(pii.subtype.startsWith('bearer') || pii.subtype === 'basic_auth' ? template.replace('{pii}', 'Authorization: {pii}') : template, { pii });
}

export const supportChat: TextTemplate = {
  kind: 'support_chat',
  piiWeights: [[5, 'EMAIL'], [5, 'PHONE'], [3, 'CREDIT_CARD'], [2, 'IBAN'], [2, 'US_SSN'], [2, 'IP_ADDRESS'], [1, 'SECRET'], [0.5, 'URL_CREDENTIALS']],
  render(context) {
    const { rng, builder } = context;
    const exchanges = Array.from({ length: rng.int(1, 3) }, () => ({ user: [] as BuiltinPiiType[], assistant: [] as BuiltinPiiType[] }));
    for (let type = context.takePii(); type !== undefined; type = context.takePii()) {
      const exchange = rng.pick(exchanges);
      (ASSISTANT_PII[type] !== undefined && rng.chance(0.25) ? exchange.assistant : exchange.user).push(type);
    }
    for (const [turn, { user, assistant }] of exchanges.entries()) {
      builder.text(turn === 0 ? 'User: ' : '\nUser: ');
      context.say(rng.pick(USER_ISSUES));
      for (const type of user) {
        builder.text(' ');
        sayPii(context, USER_PII[type], type);
      }
      const closer = rng.pick(USER_CLOSERS);
      if (closer !== '') {
        builder.text(' ');
        context.say(closer);
      }
      builder.text('\nAssistant: ');
      for (const type of assistant) {
        sayPii(context, ASSISTANT_PII[type] ?? USER_PII[type], type);
        builder.text(' ');
      }
      for (const [i, sentence] of rng.shuffle([...ASSISTANT]).slice(0, rng.int(1, 3)).entries()) {
        if (i > 0) builder.text(' ');
        context.say(sentence);
      }
    }
  },
};
