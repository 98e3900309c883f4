import { RampError, isRetryableStatus } from './errors.js';
import { ShapeError, isObject } from './read.js';
import { isSafeUrl } from './urls.js';

export interface SessionClientOptions {
  /** The element's `session-url`, absolute or relative to the page. */
  url: string;
  /** `same-origin` (default) or `include` for a session endpoint on another origin. */
  credentials?: RequestCredentials;
  /** Optional bearer token for backends that authenticate with a header instead of cookies. */
  token?: string;
  /** Per-attempt timeout in ms. */
  timeout?: number;
  /** Retries after the first attempt, for GETs and keyed creates. */
  retries?: number;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Required for creates: the same key is sent on every retry. */
  idempotencyKey?: string;
  query?: Record<string, string | undefined>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * The one transport between the widget and the merchant's session endpoint: JSON over HTTP,
 * timeouts, cancellation, retries where safe (GETs, and creates only with their Idempotency-Key),
 * full-jitter backoff, Retry-After, and the session protocol's error shape turned into `RampError`.
 */
export class SessionClient {
  readonly base: URL;
  private readonly options: Required<Omit<SessionClientOptions, 'token' | 'url'>> & { token?: string };

  constructor(options: SessionClientOptions) {
    const url = options.url.endsWith('/') ? options.url : `${options.url}/`;
    // baseURI, not location: an about:srcdoc frame resolves against its parent's URL
    this.base = new URL(url, globalThis.document?.baseURI ?? globalThis.location?.href);
    this.options = {
      credentials: options.credentials ?? 'same-origin',
      timeout: options.timeout ?? 15_000,
      retries: options.retries ?? 2,
      fetch: options.fetch ?? ((...args) => globalThis.fetch(...args)),
      token: options.token,
    };
  }

  /** Absolute URL of a protocol path such as `offramp/quote`. */
  url(path: string, query?: Record<string, string | undefined>): URL {
    const url = new URL(path, this.base);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') url.searchParams.set(key, value);
    return url;
  }

  /** One request to a protocol path, with the session's credentials and bearer token; no retry, no reading (the status stream uses it as is). */
  send(path: string, init: RequestInit & { query?: Record<string, string | undefined> }): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.options.token) headers.set('authorization', `Bearer ${this.options.token}`);
    return this.options.fetch(this.url(path, init.query), { ...init, headers, credentials: this.options.credentials });
  }

  get<T>(path: string, parse: (body: unknown) => T, options: RequestOptions = {}): Promise<T> {
    return this.request('GET', path, undefined, parse, options);
  }

  post<T>(path: string, body: unknown, parse: (body: unknown) => T, options: RequestOptions = {}): Promise<T> {
    return this.request('POST', path, body, parse, options);
  }

  private async request<T>(method: string, path: string, body: unknown, parse: (body: unknown) => T, options: RequestOptions): Promise<T> {
    const retryable = method === 'GET' || Boolean(options.idempotencyKey);
    const attempts = retryable ? this.options.retries + 1 : 1;
    let last: RampError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(last?.details.retryAfterMs ? Number(last.details.retryAfterMs) : backoff(attempt), options.signal);
      try {
        return await this.once(method, path, body, parse, options);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        last = RampError.from(error);
        // a create being checked (202) is the caller's to ask about again: it uses no retry
        if (!last.retryable || last.code === 'checking') throw last;
      }
    }
    throw last!;
  }

  private async once<T>(method: string, path: string, body: unknown, parse: (body: unknown) => T, options: RequestOptions): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const timeout = AbortSignal.timeout(this.options.timeout);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.send(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, query: options.query });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) throw new RampError('timeout', 'The request timed out.', true);
      throw new RampError('network_error', 'The session endpoint could not be reached.', true);
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      json = undefined;
    }
    if (!response.ok) throw errorFromResponse(response, json);
    if (response.status === 202 && isObject(json) && json.status === 'checking') {
      const retryAfter = response.headers.get('retry-after');
      const wait = retryAfter && /^\d+$/.test(retryAfter) ? Math.min(Number(retryAfter), 30) * 1000 : 1000;
      throw new RampError('checking', typeof json.message === 'string' ? json.message : 'Checking whether the operation was created…', true, 202, {
        retryAfterMs: String(wait),
      });
    }
    if (json === undefined) throw new RampError('bad_response', 'The session endpoint sent an unreadable answer.', false, response.status);
    try {
      return parse(json);
    } catch (error) {
      if (error instanceof ShapeError)
        throw new RampError('bad_response', `Unexpected answer from the session endpoint (${error.message}).`, false, response.status);
      throw error;
    }
  }
}

/** Full-jitter exponential backoff: random in [0, min(cap, base·2^attempt)]. */
export function backoff(attempt: number, base = 300, cap = 5_000): number {
  return Math.random() * Math.min(cap, base * 2 ** attempt);
}

function errorFromResponse(response: Response, json: unknown): RampError {
  const status = response.status;
  const error = isObject(json) && isObject(json.error) ? json.error : undefined;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : `The session endpoint answered ${status}.`;
  const details: Record<string, string> = {};
  if (error && isObject(error.details)) {
    for (const [key, value] of Object.entries(error.details)) if (typeof value === 'string' && (key !== 'url' || isSafeUrl(value))) details[key] = value;
  }
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter && /^\d+$/.test(retryAfter)) details.retryAfterMs = String(Math.min(Number(retryAfter), 30) * 1000);
  // 401, and a bare 403, mean the merchant's session is gone; a 403 with a business code (require_kyc…) is that refusal
  if (status === 401 || (status === 403 && (!code || code === 'forbidden' || code === 'unauthenticated')))
    return new RampError('session_expired', message, false, status, details);
  // the same create still running elsewhere: ask again with the same key (never a new one)
  const retryable = isRetryableStatus(status) || code === 'request_in_progress';
  return new RampError(code ?? (status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : 'server_error'), message, retryable, status, details);
}
