/**
 * What the SECRET rules need to know about a text, found in one case-insensitive scan instead of
 * three: where the credential names are (`password`, `api_key`, `secret`, `token`, …), whether a
 * vendor prefix may occur (`AKIA`, `ghp_`, `sk-`, …), and whether a `Bearer`/`Basic` header, the
 * `aws configure` prompt or a `-p`/`-u` command-line flag may occur. The keyword alternation costs
 * the same with or without the hints added (about 2.5 ns a character on chat text), so the two
 * hint scans it replaces (about 1.5 ns a character together) are saved.
 */
export interface SecretTriggers {
  /** Each credential keyword, in text order: the matches a global scan of the keyword pattern reports. */
  keywordStarts: number[];
  keywordEnds: number[];
  /** A vendor prefix may occur (a superset: the rules then search for the exact prefixes). */
  vendorHint: boolean;
  /** A `Bearer`/`Basic` header, `Key [` or a `-p`/`-u` flag may occur (a superset as well). */
  credentialHint: boolean;
}

// Group 1: the credential names (passw(or)d, passphrase, pwd, private key, secret, token,
// api/access/auth key, credential(s)), spelled as a trie. Then the hints, each consuming exactly
// one character that cannot start a keyword or lie inside one, so that the keyword matches are
// exactly those of the keyword alternation alone:
//   vendor prefixes, keyed on their rarest character: 'A' (AKIA, ASIA, AIza), '_' (ghp_,
//   github_pat_, sk_live_, hf_, npm_, …), '.' (hooks.slack.com, SG.), '-' (glpat-, sk-, xoxb-, pypi-);
//   credential hints: '-' before 'p' or 'u' (a flag), 'B' of Bearer/Basic, '[' of 'Key ['.
// One '-' can be both kinds ('sk-proj-…'), so a '-' sets both hints.
const triggerPattern =
  /(p(?:ass(?:w(?:or)?d|phrase)|wd|rivate[_.-]?key)|secret|token|a(?:pi|ccess|uth)[_.-]?key|credentials?)|A(?=KIA|SIA|Iza)|_(?<=gh[pousr]_|github_|hf_|[sr]k_|npm_)|\.(?<=hooks\.|SG\.)|-(?:(?<=glpat-|sk-|xox[bpars]-|pypi-)|(?=[pu]))|B(?=earer|asic)|\[(?<=Key \[)/gi;

/** The triggers of a text that holds none (most chat messages): shared, never written to. */
const noTriggers: SecretTriggers = Object.freeze({
  keywordStarts: Object.freeze([]) as unknown as number[],
  keywordEnds: Object.freeze([]) as unknown as number[],
  vendorHint: false,
  credentialHint: false,
});

export function findSecretTriggers(text: string): SecretTriggers {
  triggerPattern.lastIndex = 0;
  let match = triggerPattern.exec(text);
  if (match === null) return noTriggers;
  const triggers: SecretTriggers = { keywordStarts: [], keywordEnds: [], vendorHint: false, credentialHint: false };
  for (; match !== null; match = triggerPattern.exec(text)) {
    if (match[1] !== undefined) {
      triggers.keywordStarts.push(match.index);
      triggers.keywordEnds.push(match.index + match[1].length);
      continue;
    }
    const hint = text.charCodeAt(match.index);
    if (hint === 45) {
      triggers.vendorHint = true; // '-'
      triggers.credentialHint = true;
    } else if (hint === 66 || hint === 98 || hint === 91) {
      triggers.credentialHint = true; // 'B', 'b', '['
    } else {
      triggers.vendorHint = true; // 'A', 'a', '_', '.'
    }
  }
  return triggers;
}
