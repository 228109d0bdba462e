import { createSeededRandom, type SeededRandom } from '../../services/curate/src/dedup/seeded-random.ts';

/**
 * Deterministic chat-like texts of about 200 words: a user turn and an assistant turn made of
 * sentences whose words follow a Zipf-like distribution over common English words and a
 * synthetic long-tail vocabulary, with the stock phrases real support chats repeat ("Thanks for
 * reaching out", "Let me check"). Shared boilerplate matters: it puts unrelated texts into the
 * same LSH buckets, as production data does.
 */
const COMMON = (
  'the to and a of i you it is in that my for on this can with your have be not we do are at please ' +
  'order account password help what how if but so will from when there just get need would like ' +
  'thanks was an me our or about know could which time again still also should then any error'
).split(' ');
const STOCK_PHRASES = [
  'Thanks for reaching out!',
  'Let me check that for you.',
  'I hope this helps.',
  'Could you share your order number?',
  'Is there anything else I can help you with?',
  'Sorry for the inconvenience.',
  'Here is what you can try:',
];
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo', 'zi', 'pa', 'do', 'gu', 'he', 'ji', 'bo', 'fe', 'an', 'er'];

export interface ChatTextGenerator {
  readonly random: SeededRandom;
  text(): string;
  /** `edits` word substitutions: a near-duplicate of `text`. */
  nearCopy(text: string, edits: number): string;
}

export function createChatTextGenerator(seed: number, targetWords = 200): ChatTextGenerator {
  const random = createSeededRandom(seed);
  const rare = Array.from({ length: 20_000 }, (_, i) => {
    let word = '';
    for (let n = i + 400; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
    return word;
  });
  const vocabulary = [...COMMON, ...rare];
  // Zipf(1) by inverse transform over ranks: P(rank ≤ k) ≈ ln(k) / ln(N).
  const word = (): string => vocabulary[Math.min(vocabulary.length - 1, Math.floor(Math.exp(random.nextFloat() * Math.log(vocabulary.length))) - 1)]!;
  const sentence = (): string => {
    const words = Array.from({ length: 6 + random.nextInt(14) }, word);
    const first = words[0]!;
    words[0] = first.charAt(0).toUpperCase() + first.slice(1);
    return `${words.join(' ')}${random.nextFloat() < 0.2 ? '?' : '.'}`;
  };
  const turn = (words: number): string => {
    const parts: string[] = [];
    let count = 0;
    while (count < words) {
      const part = random.nextFloat() < 0.15 ? STOCK_PHRASES[random.nextInt(STOCK_PHRASES.length)]! : sentence();
      parts.push(part);
      count += part.split(' ').length;
    }
    return parts.join(' ');
  };
  return {
    random,
    text: () => `User: ${turn(targetWords * 0.35)}\nAssistant: ${turn(targetWords * 0.65)}`,
    nearCopy(text, edits) {
      const words = text.split(' ');
      for (let i = 0; i < edits; i++) words[random.nextInt(words.length)] = word();
      return words.join(' ');
    },
  };
}
