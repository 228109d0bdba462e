import type { Random } from '../random.ts';

/** Names, places and products the conversations are about. Names are not planted PII: the redactor has no PERSON detector. */

export const FIRST_NAMES = [
  'Dana', 'Marcus', 'Priya', 'Tomás', 'Aisha', 'Lukas', 'Mei', 'Olga', 'Kenji', 'Sofia', 'Mateo', 'Chloe', 'Noah', 'Fatima',
  'Liam', 'Ingrid', 'Rahul', 'Zoe', 'Emeka', 'Hannah', 'Diego', 'Yara', 'Sven', 'Grace', 'Omar', 'Elena', 'Jonas', 'Nadia',
];
export const LAST_NAMES = [
  'Whitfield', 'Okafor', 'Nguyen', 'García', 'Kowalski', 'Tanaka', 'Rossi', 'Larsen', 'Schmidt', 'Haddad', 'Moreau', 'Brennan',
  'Silva', 'Novak', 'Chen', 'Patel', 'Andersson', 'Murphy', 'Ivanova', 'Costa', 'Fischer', 'Ortiz',
];

export const PRODUCTS = [
  { name: 'Aero 2 wireless earbuds', price: 89.0 }, { name: 'TrailPeak 45L backpack', price: 129.0 },
  { name: 'Nimbus standing desk', price: 449.0 }, { name: 'Brewline pour-over kettle', price: 64.5 },
  { name: 'Lumen smart bulb (4-pack)', price: 39.99 }, { name: 'Kinetic running shoes', price: 119.0 },
  { name: 'Cirrus merino hoodie', price: 98.0 }, { name: 'Polar 12" cast-iron skillet', price: 54.0 },
  { name: 'Orbit phone tripod', price: 29.95 }, { name: 'Harbor rain jacket', price: 159.0 },
  { name: 'Quill mechanical keyboard', price: 139.0 }, { name: 'Vista 27" monitor arm', price: 79.0 },
];

export const CARRIERS = ['DHL', 'UPS', 'DPD', 'FedEx', 'GLS', 'Royal Mail'];
export const CITIES = ['Leeds', 'Rotterdam', 'Lyon', 'Austin', 'Dublin', 'Graz', 'Porto', 'Malmö', 'Denver', 'Kraków'];
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

export const MAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.co.uk', 'icloud.com', 'proton.me', 'hey.com', 'posteo.de', 'fastmail.fm', 'gmx.net', 'web.de'];
export const WORK_DOMAINS = ['acme-corp.com', 'northwind.io', 'globex.co', 'initech.dev', 'umbrella-labs.com', 'hooli.xyz'];

export interface Person {
  first: string;
  last: string;
}

export function person(random: Random): Person {
  return { first: random.pick(FIRST_NAMES), last: random.pick(LAST_NAMES) };
}

/** ASCII form of a name for addresses and handles (`Tomás` → `tomas`). */
export function asciiLower(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
}
