import { SluiceError, errorCatalogue, type ErrorCode } from '@sluice/core';

export type Fetch = typeof fetch;

/**
 * The few calls `pullSnapshot` makes to the snapshot API, with its error bodies turned back into
 * SluiceErrors (same code, same message), so a CLI shows "SLUICE_ERR_FORBIDDEN: …" and not a bare 403.
 */
export class SnapshotClient {
  readonly baseUrl: string;
  readonly #token: string;
  readonly #fetch: Fetch;

  constructor(baseUrl: string, token: string, fetchImpl: Fetch = fetch) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#token = token;
    this.#fetch = fetchImpl;
  }

  async json<T>(path: string): Promise<T> {
    const response = await this.request(path);
    return (await response.json()) as T;
  }

  /** GET with the read token; follows a redirect to a presigned URL (fetch drops the token on it). */
  async request(path: string, headers: Record<string, string> = {}, okStatuses: readonly number[] = [200]): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await this.#fetch(url, { headers: { authorization: `Bearer ${this.#token}`, ...headers }, redirect: 'follow' });
    } catch (cause) {
      throw new SluiceError('SLUICE_ERR_BLOB_STORE_UNAVAILABLE', `GET ${url} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    if (okStatuses.includes(response.status)) return response;
    throw await toError(response, url);
  }
}

async function toError(response: Response, url: string): Promise<SluiceError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    const code = body.error?.code;
    if (code && code in errorCatalogue) return new SluiceError(code as ErrorCode, body.error?.message);
  } catch {
    // Not our JSON: an S3 XML error after a redirect, or a proxy's page.
  }
  const code: ErrorCode = response.status === 404 ? 'SLUICE_ERR_NOT_FOUND' : response.status === 403 ? 'SLUICE_ERR_FORBIDDEN' : 'SLUICE_ERR_BLOB_STORE_UNAVAILABLE';
  return new SluiceError(code, `GET ${url.split('?')[0]}: HTTP ${response.status} ${text.slice(0, 200)}`);
}
