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
// api/access/auth key, credential(s)), any case, spelled as a trie. Then the places where a hint
// may be, each consuming exactly one character that cannot start a keyword or lie inside one, so
// that the keyword matches are exactly those of the keyword alternation alone:
//   vendor prefixes, keyed on their rarest character: 'A' (AKIA, ASIA, AIza), '_' (ghp_,
//   github_pat_, sk_live_, hf_, npm_, …), '.' (hooks.slack.com, SG.), '-' (glpat-, sk-, xoxb-, pypi-);
//   credential hints: '-' before 'p' or 'u' (a flag), 'B' of Bearer/Basic, '[' of 'Key ['.
// The scan is case-insensitive for the keywords, so these places are a superset ('TASK_ID',
// 'Asia'); each is confirmed by the case-sensitive patterns below, at that position only. (A
// `(?-i:…)` group would do it in the scan, but V8 13 ignores it inside a lookbehind alternation.)
const triggerPattern =
  /(p(?:ass(?:w(?:or)?d|phrase)|wd|rivate[_.-]?key)|secret|token|a(?:pi|ccess|uth)[_.-]?key|credentials?)|A(?=KIA|SIA|Iza)|_(?<=gh[pousr]_|github_|hf_|[sr]k_|npm_)|\.(?<=hooks\.|SG\.)|-(?:(?<=glpat-|sk-|xox[bpars]-|pypi-)|(?=[pu]))|B(?=earer|asic)|\[(?<=Key \[)/gi;
const vendorHintAt = /A(?=KIA|SIA|Iza)|_(?<=gh[pousr]_|github_|hf_|[sr]k_|npm_)|\.(?<=hooks\.|SG\.)|-(?<=glpat-|sk-|xox[bpars]-|pypi-)/y;
const credentialHintAt = /B(?=earer|asic)|\[(?<=Key \[)|-(?=[pu])/y;

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
    // One '-' can be both ('sk-proj-…'), so both are checked.
    vendorHintAt.lastIndex = match.index;
    if (vendorHintAt.test(text)) triggers.vendorHint = true;
    credentialHintAt.lastIndex = match.index;
    if (credentialHintAt.test(text)) triggers.credentialHint = true;
  }
  return triggers;
}
