import { createHmac } from 'node:crypto';

/**
 * The pseudonym that replaces a user key (`user:<id>` or `anon:<id>`, see userKeyOf) in samples and
 * in lineage.parquet: an HMAC with the tenant secret, so the raw id never leaves the warehouse. The
 * split step writes it; erasure computes it again to find the snapshots that hold the user.
 */
export function userPseudonym(pseudonymKey: string, userKey: string): string {
  return `u_${createHmac('sha256', pseudonymKey).update(`user:${userKey}`).digest('hex').slice(0, 16)}`;
}
