import { orderNumber } from '../ids.ts';
import type { Random } from '../random.ts';
import { PRODUCTS, type Person } from './people.ts';
import { creditCard, email, iban, phone } from './pii-values.ts';
import type { Planter } from './planter.ts';
import { failedToolResult, lookupResult, orderFacts, type OrderFacts } from './support-tools.ts';

/**
 * What a customer and the support assistant say, turn by turn, for one conversation. Customers
 * type order numbers, e-mail addresses and phone numbers into the chat, and now and then a card
 * number or an IBAN; the order system's answers carry the contact details on file.
 */

export interface SupportTool {
  name: string;
  args: Record<string, unknown>;
  result: string;
  failed: boolean;
}

export interface SupportTurn {
  user: string;
  tool?: SupportTool;
  reply: string;
  /** A second wording of the reply: what a regeneration or a human agent's correction says. */
  alternative: string;
}

export interface SupportScript {
  intent: string;
  turns: SupportTurn[];
  /** Probability that the conversation ends resolved rather than escalated or abandoned. */
  resolvable: number;
  /** The customer asked for a human in the last turn: the conversation ends escalated. */
  wantsHuman?: boolean;
  /** The first prompt repeats an earlier session's, verbatim or lightly edited. */
  echo?: 'exact' | 'near';
}

interface Ctx {
  random: Random;
  planter: Planter;
  customer: Person;
  order: OrderFacts;
}

const hi = (r: Random) => r.pick(['', 'Hi, ', 'Hello, ', 'Hey there. ', 'Good morning, ', 'hi ']);
const thanks = (r: Random) => r.pick(['Thanks!', 'thank you', 'Great, thanks for the help.', 'ok perfect', 'Cheers.', 'That works, thanks.']);
const money = (n: number) => `€${n.toFixed(2)}`;

/** What customers add about their situation, and what agents add to be kind: most of the variety in real chats. */
const ASIDES = [
  'It’s a birthday present for Saturday.', 'I’m travelling from next Wednesday.', 'First time ordering from you.', 'I’ve ordered from you for years and never had this.',
  'The app shows something different from the email.', 'My neighbour got theirs already.', 'I need it for a hiking trip.', 'Sorry if this is a silly question.',
  'I already tried the FAQ.', 'This is the second time this happens.', 'I’m on mobile so excuse typos.', 'Not urgent, just wondering.', 'Really need this sorted today.',
  'Ordered it with express shipping.', 'I live in a flat with a shared mailbox.', 'I paid with Klarna if that matters.',
];
const KIND_WORDS = [
  'Thanks for your patience.', 'Sorry for the hassle.', 'Is there anything else I can help with?', 'Let me know if anything is unclear.', 'Have a lovely day.',
  'I hope that helps.', 'Thanks for reaching out.', 'I’ve added a note to your account as well.', 'You’ll also get this in writing by e-mail.', '',
];

function withFlavour(script: SupportScript, r: Random): SupportScript {
  const [first, ...rest] = script.turns;
  if (!first) return script;
  const aside = r.chance(0.6) ? ` ${r.pick(ASIDES)}` : '';
  const kind = (text: string) => (r.chance(0.6) ? `${text} ${r.pick(KIND_WORDS)}`.trimEnd() : text);
  return { ...script, turns: [{ ...first, user: `${first.user}${aside}`, reply: kind(first.reply), alternative: kind(first.alternative) }, ...rest.map((t) => ({ ...t, reply: kind(t.reply) }))] };
}

function lookup(ctx: Ctx, args: Record<string, unknown>, contact: { email: string; phone?: string }): SupportTool {
  const failed = ctx.random.chance(0.04);
  return { name: 'lookup_order', args, result: failed ? failedToolResult(ctx.random) : lookupResult(ctx.order, contact), failed };
}

function statusReply(ctx: Ctx, tool: SupportTool): [string, string] {
  const { order: o, customer } = ctx;
  if (tool.failed) return ['I’m sorry, I can’t reach our order system right now. Could you try again in a few minutes, or shall I pass this to a colleague?', 'Our order system isn’t answering at the moment — I’ve noted your order number and a colleague will follow up by e-mail.'];
  const line = {
    in_transit: `your ${o.product} left our warehouse and is with ${o.carrier} (tracking ${o.tracking}). It should reach ${o.city} on ${o.eta}.`,
    processing: `your ${o.product} is being packed right now; it usually ships within 24 hours and you’ll get the tracking link by e-mail.`,
    delivered: `${o.carrier} marked your ${o.product} as delivered on ${o.eta}. If you can’t find it, check with neighbours or your building’s reception first.`,
    delayed: `your ${o.product} is delayed at the ${o.carrier} hub; the new estimate is ${o.eta}. I’m sorry for the wait.`,
  }[o.status];
  return [`Thanks, ${customer.first}. I checked ${o.orderId}: ${line}`, `I’ve looked up ${o.orderId} — ${line} Anything else I can do?`];
}

function orderStatus(ctx: Ctx): SupportScript {
  const { random: r, planter, order } = ctx;
  const byEmail = r.chance(0.3);
  const address = planter.plant(email(r, ctx.customer));
  const opener = byEmail
    ? `${hi(r)}I ordered ${r.pick(['a', 'the'])} ${order.product} last week and haven’t heard anything. My email is ${address}`
    : r.pick([`${hi(r)}where is my order ${order.orderId}?`, `${hi(r)}Any update on ${order.orderId}? It was supposed to arrive ${r.pick(['yesterday', 'on Monday', 'this week'])}.`, `${order.orderId} still not here, what's going on`]);
  const tool = lookup(ctx, byEmail ? { email: address } : { order_id: order.orderId }, { email: address });
  const [reply, alternative] = statusReply(ctx, tool);
  const turns: SupportTurn[] = [{ user: opener, tool, reply, alternative }];
  if (r.chance(0.45) && !tool.failed) {
    const number = planter.plant(phone(r));
    turns.push({
      user: r.pick([`Can the driver call me before delivery? My number is ${number}`, `Could you text me at ${number} when it's out for delivery?`]),
      reply: `I’ve added a delivery note asking ${order.carrier} to call ahead. I can’t store phone numbers in this chat, so please also add it in your account under Delivery preferences.`,
      alternative: `Done — ${order.carrier} will get a note to contact you before delivery. For future orders you can set this under Delivery preferences.`,
    });
  }
  return { intent: 'order_status', turns, resolvable: tool.failed ? 0.2 : 0.75 };
}

function returnRequest(ctx: Ctx): SupportScript {
  const { random: r, planter, order } = ctx;
  const reason = r.pick(['too_small', 'too_large', 'not_as_described', 'changed_mind'] as const);
  const why = { too_small: 'it’s too small', too_large: 'it’s way too big', not_as_described: 'it doesn’t look like the photos', changed_mind: 'I changed my mind' }[reason];
  const opener = `${hi(r)}I'd like to return the ${order.product} from ${order.orderId}, ${why}.`;
  const tool: SupportTool = { name: 'create_return', args: { order_id: order.orderId, reason }, result: JSON.stringify({ return_id: `RMA-${r.int(100000, 999999)}`, label_sent: true, refund_amount: order.price }), failed: false };
  const turns: SupportTurn[] = [{
    user: opener, tool,
    reply: `I’ve opened a return for the ${order.product}. A prepaid label is on its way to your inbox; once the parcel is scanned we refund ${money(order.price)} to your original payment method within 5–7 working days.`,
    alternative: `All set: your return is open and the label has been e-mailed to you. Drop the parcel at any ${order.carrier} point; the refund of ${money(order.price)} follows within a week of the scan.`,
  }];
  if (r.chance(0.2)) {
    const account = planter.plant(iban(r));
    turns.push({
      user: `Can you refund it to my bank account instead? ${account}`,
      reply: 'For your security refunds can only go back to the original payment method, so please don’t share bank details here. If that card is closed, reply and I’ll hand you to a colleague who can arrange a bank transfer safely.',
      alternative: 'I’m afraid refunds always go to the payment method used for the order. If that’s no longer possible, a colleague can set up a transfer through our secure form.',
    });
  }
  return { intent: 'return', turns, resolvable: 0.8 };
}

function paymentFailed(ctx: Ctx): SupportScript {
  const { random: r, planter } = ctx;
  const card = r.chance(0.15) ? ` I tried ${planter.plant(creditCard(r))} twice.` : '';
  const opener = `${hi(r)}my payment keeps getting declined at checkout${r.pick(['', ' for the ' + ctx.order.product, ' even though I have money on the card'])}.${card}`;
  return {
    intent: 'payment_failed',
    turns: [{
      user: opener,
      reply: 'Sorry about that. Declines usually come from the bank’s fraud check or a billing address that doesn’t match the card. Please check the address, try again, or use PayPal. Never send card numbers in this chat — we can’t keep them safe here.',
      alternative: 'That’s frustrating, I know. Most declines are the bank’s security check: approving the payment in your banking app and retrying usually fixes it. Please don’t type card details in the chat.',
    }, {
      user: r.pick(['I did that already, still failing', 'ok let me try again', 'The address is correct.']),
      reply: 'Then the bank is blocking it on their side. A quick call to the number on the back of your card will clear it; your basket stays saved for 7 days.',
      alternative: 'In that case only your bank can lift the block — your basket is saved for a week so nothing is lost while you sort it out.',
    }],
    resolvable: 0.45,
  };
}

function accountAccess(ctx: Ctx): SupportScript {
  const { random: r, planter } = ctx;
  const address = planter.plant(email(r, ctx.customer));
  const tool: SupportTool = { name: 'send_password_reset', args: { email: address }, result: JSON.stringify({ sent: true, expires_in_minutes: 30 }), failed: false };
  const masked = `${address[0]}***@${address.split('@')[1]}`;
  return {
    intent: 'account_access',
    turns: [{
      user: r.pick([`${hi(r)}I can't log in. I signed up with ${address}`, `${hi(r)}password reset email never arrives, account is ${address}`, `locked out of my account (${address}), please help`]),
      tool,
      reply: `I’ve sent a new reset link to ${masked}. It’s valid for 30 minutes — check your spam folder if it doesn’t show up within a few minutes.`,
      alternative: `A fresh password-reset link is on its way to ${masked} and works for the next 30 minutes. If nothing arrives, look in Spam or Promotions.`,
    }],
    resolvable: 0.85,
  };
}

function damagedItem(ctx: Ctx): SupportScript {
  const { random: r, order } = ctx;
  return {
    intent: 'damaged_item',
    turns: [{
      user: `${hi(r)}my ${order.product} (${order.orderId}) arrived ${r.pick(['broken', 'with a cracked part', 'damaged', 'scratched all over'])}. ${r.pick(['Really disappointed.', 'What now?', 'I need a replacement before the weekend.'])}`,
      reply: `I’m really sorry, ${ctx.customer.first}. I can send a replacement ${order.product} today at no cost — you don’t need to return the damaged one. Would you like that, or a full refund of ${money(order.price)}?`,
      alternative: `That shouldn’t happen — sorry. I can ship a free replacement today or refund ${money(order.price)} in full; either way, keep the damaged item.`,
    }, {
      user: r.pick(['Replacement please.', 'refund', 'replacement, and can it be express?']),
      reply: 'Done. You’ll get a confirmation e-mail in a few minutes with the new tracking details.',
      alternative: 'Sorted — the confirmation with tracking is on its way to your inbox.',
    }],
    resolvable: 0.9,
  };
}

const INTENTS: ReadonlyArray<readonly [number, (ctx: Ctx) => SupportScript]> = [
  [5, orderStatus], [3, returnRequest], [2, paymentFailed], [2, accountAccess], [2, damagedItem],
];

export function supportScript(random: Random, planter: Planter, customer: Person): SupportScript {
  const order = orderFacts(random, orderNumber(random), random.pick(PRODUCTS));
  const script = withFlavour(random.weighted(INTENTS)({ random, planter, customer, order }), random);
  if (random.chance(0.6)) {
    const human = !random.chance(script.resolvable);
    script.wantsHuman = human;
    script.turns.push(human
      ? {
          user: random.pick(['This is not helping. Can I talk to a real person?', 'I want to speak to a human please', 'useless.', 'can i get an agent']),
          reply: 'Of course — I’m connecting you with a colleague now. The usual wait is under 5 minutes.',
          alternative: 'I’ll hand you over to a member of our team; they can see this conversation, so there’s no need to repeat anything.',
        }
      : { user: thanks(random), reply: `You’re welcome, ${customer.first}! Have a great day.`, alternative: 'Happy to help — anything else, just write here.' });
  }
  return script;
}
