// Scratch space for ASCII values (almost every candidate): counting into a reused array instead of
// a Map makes the entropy gate several times cheaper. Not re-entrant, and it needs not be.
const asciiCounts = new Uint32Array(128);
const asciiSeen = new Uint8Array(128);

/** Shannon entropy in bits per character; a random base64 string scores about 5, English about 3. */
export function shannonEntropy(value: string): number {
  const length = value.length;
  if (length === 0) return 0;
  let distinct = 0;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128) {
      for (let k = 0; k < distinct; k++) asciiCounts[asciiSeen[k] as number] = 0;
      return mapEntropy(value);
    }
    if (asciiCounts[code] === 0) asciiSeen[distinct++] = code;
    asciiCounts[code] = (asciiCounts[code] as number) + 1;
  }
  // Summed in order of first occurrence, like the Map version, so both give the same bits.
  let entropy = 0;
  for (let k = 0; k < distinct; k++) {
    const code = asciiSeen[k] as number;
    const p = (asciiCounts[code] as number) / length;
    entropy -= p * Math.log2(p);
    asciiCounts[code] = 0;
  }
  return entropy;
}

function mapEntropy(value: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** How many of lower case, upper case, digits and other characters occur. */
export function characterClassCount(value: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 97 && code <= 122) lower = 1;
    else if (code >= 65 && code <= 90) upper = 1;
    else if (code >= 48 && code <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/** Machine-made tokens mix letters and digits and do not repeat much. */
export function looksRandom(value: string, minEntropy = 3): boolean {
  return /\d/.test(value) && /[A-Za-z]/.test(value) && shannonEntropy(value) >= minEntropy;
}
