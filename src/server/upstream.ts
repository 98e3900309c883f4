import type { Json } from '../lib/read.js';
import { isObject } from '../lib/read.js';

/** A failed upstream call, with the business code the API gave (or one of ours). */
export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status the upstream answered (0: no answer). */
    readonly status: number,
    readonly data?: Json,
    /** False only when the request certainly never reached the API (the connection was refused, the name did not resolve). */
    readonly mayHaveReached = true,
  ) {
    super(message);
  }
}

export interface UpstreamOptions {
  /** API origin, `https://sandbox.cryptopocket.io`; a trailing `/api` (the v3 docs' base) is accepted. */
  origin: string;
  apiKey: string;
  /**
   * With an API secret, the client first exchanges key and secret for a token (`POST /api/authenticate`, docs)
   * and sends that token in `auth`, authenticating again when the API says it expired. Without one, the key itself
   * is sent in `auth`, as the docs' examples do.
   */
  apiSecret?: string;
  fetch: typeof fetch;
  /** Per-call timeout in ms. */
  timeout: number;
  /** Largest answer read, in bytes (default 1 MiB); a larger one is `bad_response`. */
  maxResponseBytes?: number;
}

export interface UpstreamResult {
  data: Json;
  /** The envelope's `message`, e.g. `payment_created`. */
  message?: string;
}

export interface CallOptions {
  query?: Record<string, string | undefined>;
  /** JSON body text (built by `jsonBody`, so amounts stay exact). */
  body?: string;
  form?: Record<string, string>;
}

const SUCCESS = new Set(['ok', 'success', 'sucess']);

/**
 * The one upstream client: `auth` header, timeouts, and the documented envelope quirks —
 * business errors on HTTP 200 (`status: "error"`, code in `error` or `message`), `ok`/`success`/`sucess`,
 * Laravel-style 422 validation errors and real HTTP error codes.
 */
export class Upstream {
  private readonly origin: string;
  private token?: Promise<string>;

  constructor(private readonly options: UpstreamOptions) {
    this.origin = options.origin.replace(/\/+$/, '').replace(/\/api$/, '');
  }

  async call(method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<UpstreamResult> {
    if (!this.options.apiSecret) return this.send(method, path, options, this.options.apiKey);
    const pending = this.authToken();
    const token = await pending;
    try {
      return await this.send(method, path, options, token);
    } catch (error) {
      // docs: authorization_incorrect also means an expired token: authenticate once more, then retry once. The API
      // refused the call, so nothing was done and resending is safe. Calls that failed with the same token share one
      // new authentication (single flight): only the first of them drops it.
      if (!(error instanceof UpstreamError) || error.code !== 'authorization_incorrect') throw error;
      if (this.token === pending) this.token = undefined;
      return this.send(method, path, options, await this.authToken());
    }
  }

  /** docs: `POST /api/authenticate {api_key, api_secret}` returns the token (its field is not documented: read defensively). */
  private authToken(): Promise<string> {
    if (this.token) return this.token;
    const token = this.send(
      'POST',
      '/api/authenticate',
      { body: JSON.stringify({ api_key: this.options.apiKey, api_secret: this.options.apiSecret }) },
      undefined,
    ).then(({ data }) => {
      const value =
        typeof data === 'string'
          ? data
          : isObject(data)
            ? [data.token, data.auth, data.access_token, data.api_token].find((v) => typeof v === 'string' && v)
            : undefined;
      if (typeof value !== 'string') throw new UpstreamError('authorization_incorrect', 'The payment service gave no token.', 200);
      return value;
    });
    this.token = token;
    // a failed authentication, or an answer without a token, is not kept: the next call authenticates again
    token.catch(() => {
      if (this.token === token) this.token = undefined;
    });
    return token;
  }

  private async send(method: 'GET' | 'POST', path: string, options: CallOptions, auth: string | undefined): Promise<UpstreamResult> {
    const url = new URL(this.origin + path);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth !== undefined) headers.auth = auth;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = options.body;
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    // The call ends when the timer does, whatever the fetch does with the signal: Node holds an
    // AbortSignal.timeout() weakly, and a fetch that follows a copy of a signal (as undici's Request does) can lose
    // it to the garbage collector, abort and all. The timer covers the body too, which can stall after the headers.
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new UpstreamError('upstream_timeout', 'The payment service did not answer in time.', 0));
      }, this.options.timeout);
    });
    const exchange = async (): Promise<[number, string]> => {
      let response: Response;
      try {
        response = await this.options.fetch(url, { method, headers, body, signal: controller.signal });
      } catch (error) {
        throw new UpstreamError('upstream_unavailable', 'The payment service could not be reached.', 0, undefined, !neverSent(error));
      }
      return [response.status, await readLimited(response, this.options.maxResponseBytes ?? 1024 * 1024)];
    };
    let status: number;
    let text: string;
    try {
      [status, text] = await Promise.race([exchange(), expired]);
    } finally {
      clearTimeout(timer);
    }
    let json: Json | undefined;
    try {
      json = JSON.parse(text) as Json;
    } catch {
      json = undefined;
    }
    return interpret(status, json);
  }
}

/** Reads an upstream answer whatever its envelope; throws `UpstreamError` for every error form the docs show. */
export function interpret(httpStatus: number, json: Json | undefined): UpstreamResult {
  if (!isObject(json)) {
    if (httpStatus >= 500 || httpStatus === 0) throw new UpstreamError('upstream_unavailable', `The payment service failed (${httpStatus}).`, httpStatus);
    if (httpStatus >= 400) throw new UpstreamError(codeForHttp(httpStatus), `The payment service answered ${httpStatus}.`, httpStatus);
    throw new UpstreamError('bad_response', 'The payment service sent an unreadable answer.', httpStatus);
  }
  const status = typeof json.status === 'string' ? json.status.toLowerCase() : undefined;
  const message = typeof json.message === 'string' ? json.message : undefined;
  if (status === 'error' || status === 'fail' || status === 'failed' || httpStatus >= 400) {
    const errorField = typeof json.error === 'string' ? json.error : isObject(json.error) && typeof json.error.code === 'string' ? json.error.code : undefined;
    let code = errorField ?? (message && /^[a-z_]+$/.test(message) ? message : undefined);
    if (!code)
      code =
        httpStatus === 422 || isObject(json.errors)
          ? 'invalid_request'
          : httpStatus >= 500
            ? 'upstream_unavailable'
            : httpStatus >= 400
              ? codeForHttp(httpStatus)
              : 'upstream_error';
    throw new UpstreamError(code, message ?? code, httpStatus, (json.data ?? (code !== message ? message : null) ?? null) as Json);
  }
  if (status && !SUCCESS.has(status)) throw new UpstreamError('upstream_error', `Unexpected status "${status}".`, httpStatus);
  // `{status, data}`; an answer without an envelope is its own data
  return { data: status ? (json.data ?? null) : json, message };
}

/** A connection that was never made: the request cannot have reached the API. */
function neverSent(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(cause.code);
}

/** The answer's text, up to `limit` bytes: a larger answer is refused without being read whole. */
async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new UpstreamError('bad_response', 'The payment service sent an answer that is too large.', response.status);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw new UpstreamError('bad_response', 'The payment service sent an answer that is too large.', response.status);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    throw new UpstreamError('upstream_unavailable', 'The payment service answer was cut off.', response.status);
  }
  return new TextDecoder().decode(concat(chunks, size));
}

export function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function codeForHttp(status: number): string {
  if (status === 401 || status === 403) return 'authorization_incorrect';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  return 'upstream_error';
}
