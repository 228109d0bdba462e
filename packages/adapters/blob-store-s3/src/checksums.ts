import { createHash } from 'node:crypto';

export function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/**
 * The checksum S3 reports for an object uploaded with SHA-256 checksums: the plain base64 digest
 * for a single PUT; for a multipart upload a "composite" one, the digest of the concatenated part
 * digests, suffixed with the part count ("<base64>-3"). S3 computes it from the parts it stored,
 * each of which it checked against the digest we sent, so equality proves the bytes arrived whole.
 */
export function s3Checksum(partDigests: readonly Buffer[], single: boolean): string {
  if (single) return partDigests[0]!.toString('base64');
  return `${sha256(Buffer.concat(partDigests)).toString('base64')}-${partDigests.length}`;
}

/** What the writer sent. */
export interface ExpectedObject {
  size: number;
  /** Lowercase hex SHA-256 of the whole content. */
  sha256: string;
  /** `s3Checksum` of the upload, when it was sent with checksums. */
  checksum?: string;
}

/** What the store reports, from HEAD and, when it has no checksum, from reading the object back. */
export interface StoredObject {
  size: number | undefined;
  checksum?: string;
  metadataSha256?: string;
  readBackSha256?: string;
}

/** Every way `stored` differs from `expected`; empty when the object is verified. */
export function integrityProblems(expected: ExpectedObject, stored: StoredObject): string[] {
  const problems: string[] = [];
  if (stored.size !== expected.size) problems.push(`size ${String(stored.size)} stored, ${expected.size} written`);
  if (expected.checksum !== undefined && stored.checksum !== undefined && !sameChecksum(expected.checksum, stored.checksum)) {
    problems.push(`checksum ${stored.checksum} stored, ${expected.checksum} written`);
  }
  if (stored.metadataSha256 !== undefined && stored.metadataSha256 !== expected.sha256) {
    problems.push(`sha256 metadata ${stored.metadataSha256} stored, ${expected.sha256} written`);
  }
  if (stored.readBackSha256 !== undefined && stored.readBackSha256 !== expected.sha256) {
    problems.push(`sha256 ${stored.readBackSha256} read back, ${expected.sha256} written`);
  }
  return problems;
}

/** Some servers (moto) report a composite checksum without its "-<parts>" suffix. */
function sameChecksum(expected: string, stored: string): boolean {
  if (expected === stored) return true;
  const [expectedDigest] = expected.split('-');
  return !stored.includes('-') && stored === expectedDigest;
}
