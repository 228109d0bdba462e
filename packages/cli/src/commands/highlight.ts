const colors: Record<string, string> = {
  EMAIL: '\x1b[33m', PHONE: '\x1b[36m', SECRET: '\x1b[31m', CREDIT_CARD: '\x1b[35m', IBAN: '\x1b[35m',
  US_SSN: '\x1b[35m', IP_ADDRESS: '\x1b[34m', URL_CREDENTIALS: '\x1b[31m',
};

/** Marks redaction tokens (<EMAIL>, <PHONE_1a2b3c4d>) by type: colour on a terminal, [[…]] otherwise. */
export function highlightRedactions(text: string, color: boolean): string {
  return text.replace(/<([A-Z][A-Z0-9_]*?)(_[0-9a-f]{8})?>/g, (token, type: string) =>
    color ? `${colors[type] ?? '\x1b[32m'}\x1b[1m${token}\x1b[0m` : `[[${token}]]`);
}
