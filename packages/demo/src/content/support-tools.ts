import type { Random } from '../random.ts';
import { CARRIERS, CITIES, WEEKDAYS } from './people.ts';

/** The order-system tools the support assistant may call (OpenAI function-calling shape). */
export const SUPPORT_TOOLS = [
  {
    type: 'function',
    function: {
      name: 'lookup_order',
      description: 'Look up an order by its number, or the latest orders of a customer by e-mail.',
      parameters: {
        type: 'object',
        properties: { order_id: { type: 'string', pattern: '^ORD-\\d{6,10}$' }, email: { type: 'string', format: 'email' } },
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'create_return',
      description: 'Open a return for an order line and e-mail the customer a prepaid label.',
      parameters: {
        type: 'object',
        required: ['order_id', 'reason'],
        properties: { order_id: { type: 'string' }, reason: { type: 'string', enum: ['too_small', 'too_large', 'damaged', 'not_as_described', 'changed_mind'] } },
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'send_password_reset',
      description: 'Send a password-reset link to the e-mail address on the account.',
      parameters: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } },
    },
  },
] as const;

export interface OrderFacts {
  orderId: string;
  product: string;
  price: number;
  status: 'processing' | 'in_transit' | 'delivered' | 'delayed';
  carrier: string;
  tracking: string;
  eta: string;
  city: string;
}

export function orderFacts(random: Random, orderId: string, product: { name: string; price: number }): OrderFacts {
  const carrier = random.pick(CARRIERS);
  return {
    orderId, product: product.name, price: product.price,
    status: random.weighted([[3, 'in_transit'], [1, 'processing'], [2, 'delivered'], [1, 'delayed']] as const),
    carrier,
    // UPS-style 1Z… numbers: long enough to look like ids, never like phone or card numbers.
    tracking: `1Z${random.chars('0123456789ABCDEFGHJKLMNPRSTVWXYZ', 16)}`,
    eta: random.pick(WEEKDAYS),
    city: random.pick(CITIES),
  };
}

/** What `lookup_order` returns: the order, and the contact details on file (where real tool output carries PII). */
export function lookupResult(order: OrderFacts, contact: { email: string; phone?: string }): string {
  return JSON.stringify({
    order_id: order.orderId,
    status: order.status,
    items: [{ name: order.product, qty: 1, unit_price: order.price }],
    shipping: { carrier: order.carrier, tracking_number: order.tracking, estimated_delivery: order.eta, destination_city: order.city },
    customer: { email: contact.email, ...(contact.phone ? { phone: contact.phone } : {}) },
  });
}

export function failedToolResult(random: Random): string {
  return random.pick([
    JSON.stringify({ error: 'upstream_timeout', message: 'order service did not answer within 5000 ms' }),
    JSON.stringify({ ok: false, error: 'rate_limited' }),
    'Error: connect ECONNREFUSED 10.0.3.17:8443',
  ]);
}
