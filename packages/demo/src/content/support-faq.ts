import type { Random } from '../random.ts';
import type { SupportScript } from './support-script.ts';

/**
 * Questions many customers ask in nearly the same words: the natural source of duplicate and
 * near-duplicate prompts in support traffic. They carry no personal data, so the generator can
 * also replay them verbatim or lightly edited across sessions (see prompt-echo.ts).
 */

const FAQ: ReadonlyArray<{ topic: string; asks: readonly string[]; reply: string; alternative: string }> = [
  {
    topic: 'shipping_time',
    asks: ['How long does shipping to {country} take?', 'how long is delivery to {country}', 'What are your delivery times for {country}?'],
    reply: 'Orders to {country} usually arrive in 2–4 working days with standard shipping, or the next working day with express if you order before 2 pm.',
    alternative: 'Standard delivery to {country} takes 2–4 working days; express arrives the next working day for orders placed before 2 pm.',
  },
  {
    topic: 'return_policy',
    asks: ['What is your return policy?', 'Can I return something I bought on sale?', 'how many days do I have to return an item'],
    reply: 'You can return any unworn item within 30 days of delivery, sale items included. Start the return from Orders in your account and we’ll e-mail you a prepaid label.',
    alternative: 'Returns are free within 30 days of delivery (sale items too): open Orders in your account, choose the item and we’ll send a prepaid label.',
  },
  {
    topic: 'payment_methods',
    asks: ['Which payment methods do you accept?', 'Can I pay with PayPal?', 'do you take Klarna or Apple Pay?'],
    reply: 'We accept Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay and Klarna (pay in 30 days) in most countries.',
    alternative: 'You can pay by card (Visa, Mastercard, Amex), PayPal, Apple Pay, Google Pay, or Klarna where it’s available.',
  },
  {
    topic: 'ship_country',
    asks: ['Do you ship to {country}?', 'can you deliver to {country}?', 'Is shipping to {country} possible?'],
    reply: 'Yes, we ship to {country}. Duties and taxes are included in the price at checkout, so there’s nothing extra to pay on delivery.',
    alternative: 'We do deliver to {country}, with duties and taxes already included at checkout.',
  },
  {
    topic: 'size_guide',
    asks: ['Does the {product} run small?', 'what size should I get for the {product}', 'Is the {product} true to size?'],
    reply: 'The {product} fits true to size for most customers. If you’re between sizes, go up one — exchanges are free within 30 days.',
    alternative: 'Most customers find the {product} true to size; between two sizes, pick the larger one. Exchanges are free.',
  },
  {
    topic: 'discount_code',
    asks: ['My discount code doesn’t work', 'the promo code says invalid??', 'Why is my voucher code not accepted?'],
    reply: 'Codes are case-sensitive and can’t be combined with other offers or used on gift cards. If it still fails, check the expiry date in the e-mail it came with.',
    alternative: 'Please check the code’s spelling (it’s case-sensitive) and its expiry date; codes don’t combine with other promotions.',
  },
  {
    topic: 'opening_hours',
    asks: ['When is customer service open?', 'what are your support hours', 'Can I call you on weekends?'],
    reply: 'Our team is available Monday to Friday 8:00–20:00 and Saturday 9:00–17:00 (CET). This chat assistant answers around the clock.',
    alternative: 'Human support is there Mon–Fri 8–20 and Sat 9–17 CET; I’m available 24/7 here in the chat.',
  },
];

const COUNTRIES = ['Austria', 'Switzerland', 'Norway', 'Ireland', 'Canada', 'Poland', 'Portugal', 'Denmark'];
const PRODUCTS = ['Kinetic running shoes', 'Cirrus merino hoodie', 'Harbor rain jacket', 'TrailPeak backpack'];

export function faqScript(random: Random): SupportScript {
  const faq = random.pick(FAQ);
  const fill = (text: string, country: string, product: string) => text.replaceAll('{country}', country).replaceAll('{product}', product);
  const country = random.pick(COUNTRIES);
  const product = random.pick(PRODUCTS);
  return {
    intent: `faq_${faq.topic}`,
    turns: [{ user: fill(random.pick(faq.asks), country, product), reply: fill(faq.reply, country, product), alternative: fill(faq.alternative, country, product) }],
    resolvable: 0.9,
  };
}

/** A small edit of the kind that separates near-duplicate prompts: a greeting, a typo, punctuation, a sign-off. */
export function nearDuplicate(random: Random, text: string): string {
  return random.weighted<() => string>([
    [3, () => `${random.pick(['Hi, ', 'Hello! ', 'hey ', 'Good morning. '])}${text.charAt(0).toLowerCase()}${text.slice(1)}`],
    [2, () => `${text.replace(/[?.!]*$/, '')}${random.pick([' please?', ' thanks', '? thank you', '??'])}`],
    [2, () => {
      const words = text.split(' ');
      const i = random.int(0, words.length - 1);
      const w = words[i]!;
      if (w.length > 3) words[i] = w.slice(0, 1) + w.charAt(2) + w.charAt(1) + w.slice(3);
      return words.join(' ');
    }],
    [1, () => text.toLowerCase().replace(/[?.!]+$/, '')],
  ])();
}
