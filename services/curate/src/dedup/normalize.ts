/**
 * Text normalization shared by exact hashing and shingling, so that "the same text" means the
 * same thing to both stages.
 *
 * Steps, in order:
 * 1. Unicode NFKC: compatibility forms collapse (full-width "Ａ" → "A", "ﬁ" → "fi", "①" → "1").
 * 2. Lowercase (locale-independent `toLowerCase`, not full case folding).
 * 3. Remove invisible format characters (\p{Cf}: zero-width space, soft hyphen, bidi marks, BOM):
 *    two texts that differ only in them render identically.
 * 4. Split on Unicode whitespace.
 * 5. Strip *prose* punctuation at token edges: brackets and quotes of every script (\p{Ps} \p{Pe}
 *    \p{Pi} \p{Pf}), ASCII quotes and the backtick at both edges; `¿ ¡ …` at the start; sentence
 *    marks `. , ; : ! ? … 。 、` at the end. "world." and "world" become one word, "(see" becomes
 *    "see", while a leading dot or colon stays (`./run.sh`, `.gitignore`, `:param`).
 * 6. Drop tokens that were nothing but that punctuation (stray commas, lone braces, "...").
 * 7. Join with single spaces.
 *
 * Why only prose punctuation: coding datasets. Punctuation inside a token is never touched
 * (`a.b()` → `a.b`, `foo_bar`, `don't`, `3.14`, `foo::bar` survive), and code sigils at the edges
 * keep their meaning: `-1`, `--flag`, `#include`, `@decorator`, `*args`, `$var`, `./run.sh`, `=>`,
 * `__init__` are left as they are. Lone brackets carry layout rather than content, so they go.
 *
 * The output has no leading, trailing or repeated spaces; an empty string means the text had no
 * content tokens (all empty, whitespace-only and punctuation-only texts are exact duplicates).
 */

const FORMAT_CHARACTERS = /\p{Cf}/gu;
const LEADING_PUNCTUATION = String.raw`[\p{Ps}\p{Pe}\p{Pi}\p{Pf}'"\u0060¿¡…]`;
const TRAILING_PUNCTUATION = String.raw`[\p{Ps}\p{Pe}\p{Pi}\p{Pf}'"\u0060.,;:!?…。、]`;
// "Not preceded / followed by a non-space" = at a token edge; measured 2× faster than (?<=^|\s).
const EDGE_PUNCTUATION = new RegExp(`(?<!\\S)${LEADING_PUNCTUATION}+|${TRAILING_PUNCTUATION}+(?!\\S)`, 'gu');
// Whitespace other than a lone ASCII space: most separators already are one, and leaving them
// unmatched halves the cost of collapsing.
const WHITESPACE_TO_COLLAPSE = / \s+|[^\S ]\s*/g;

export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(FORMAT_CHARACTERS, '')
    .replace(EDGE_PUNCTUATION, '')
    .replace(WHITESPACE_TO_COLLAPSE, ' ')
    .trim();
}
