/**
 * The session protocol's HTTP side on the server: the error type routes throw, the one mapping from
 * any failure to an answer (upstream codes through a known list, never verbatim), JSON answers and
 * bounded body reading.
 */
import { ShapeError, isObject, pickString } from '../lib/read.js';
import { isSafeUrl } from '../lib/urls.js';
import type { ErrorBody } from '../types.js';
import { StoreUnavailableError } from './store.js';
import { concat, UpstreamError } from './upstream.js';

/** An error answered as `{ error: { code, message, details? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** The upstream codes the handler knows (docs §2.10, plus our transport codes) → HTTP status and a message for the user; any other code is answered as `upstream_error`. */
const UPSTREAM_CODES: Record<string, [number, string]> = {
  authorization_incorrect: [502, 'The payment service rejected the merchant credentials.'],
  fail_mandatory_field: [400, 'A required field is missing.'],
  user_not_found: [403, 'Your account is not registered with the payment service.'],
  user_banned: [403, 'Your account cannot trade. Please contact support.'],
  require_kyc: [403, 'Please verify your identity first.'],
  kyc_reinforced_required: [403, 'Please complete the additional verification to raise your limits.'],
  limit_exceded: [422, 'This amount is over your limit.'],
  coin_not_supported: [422, 'This token is not available on this network.'],
  min_purchase: [422, 'The amount is below the minimum.'],
  method_not_allowed: [422, 'This payment method is not available.'],
  error_payment_creation: [502, 'The payment provider failed. Please try again.'],
  fiat_not_supported: [422, 'This currency is not available.'],
  invalid_request: [422, 'The payment service rejected the request.'],
  not_found: [404, 'No such operation.'],
  rate_limited: [429, 'Too many requests. Please wait a moment.'],
  upstream_timeout: [504, 'The payment service did not answer in time.'],
  upstream_unavailable: [502, 'The payment service is unavailable. Please try again.'],
  bad_response: [502, 'The payment service sent an unexpected answer.'],
  upstream_error: [502, 'The payment service refused the request.'],
  user_already_exists: [409, 'An account with this email already exists at Cryptopocket.'],
  email_not_allowed: [422, 'This email address cannot be used for an account. Please use another one.'],
};

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });
}

/** The answer for a failure, and whether it is worth a log line. Upstream codes outside the known list become `upstream_error`. */
export function describeFailure(error: unknown): { status: number; body: ErrorBody; headers?: Record<string, string>; log?: string } {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      ...(error.headers ? { headers: error.headers } : {}),
    };
  }
  if (error instanceof UpstreamError) {
    const known = Object.hasOwn(UPSTREAM_CODES, error.code) ? error.code : 'upstream_error';
    const [status, message] = UPSTREAM_CODES[known]!;
    const body: ErrorBody = { error: { code: known, message } };
    const details = upstreamDetails(error);
    if (details) body.error.details = details;
    const unknownCode = known !== error.code ? `, unknown code ${sanitize(error.code)}` : '';
    return { status, body, ...(status >= 500 || unknownCode ? { log: `upstream ${known} (${error.status}${unknownCode})` } : {}) };
  }
  if (error instanceof StoreUnavailableError) {
    return {
      status: 503,
      body: { error: { code: 'store_unavailable', message: 'The service is briefly unavailable. Please try again.' } },
      headers: { 'retry-after': '2' },
      log: `store unavailable: ${error.message}`,
    };
  }
  if (error instanceof ShapeError) {
    return { status: 502, body: { error: { code: 'bad_response', message: 'The payment service sent an unexpected answer.' } }, log: sanitize(error.message) };
  }
  return { status: 500, body: { error: { code: 'server_error', message: 'Something went wrong on the server.' } }, log: describe(error) };
}

export function errorResponse(error: unknown, log: (line: string) => void, where: string): Response {
  const failure = describeFailure(error);
  if (failure.log) log(`${where}: ${failure.log}`);
  return json(failure.body, failure.status, failure.headers);
}

/** `min_purchase` carries the minimum in `message`; `require_kyc` the verification URL in `data`. */
function upstreamDetails(error: UpstreamError): Record<string, string> | undefined {
  const data = error.data;
  if (error.code === 'min_purchase') {
    const text = typeof data === 'string' || typeof data === 'number' ? String(data) : error.message;
    const minimum = /(\d{1,15}(?:\.\d{1,8})?)/.exec(text)?.[1];
    return minimum ? { minimum } : undefined;
  }
  if (error.code === 'require_kyc' || error.code === 'kyc_reinforced_required') {
    const url = typeof data === 'string' ? data : isObject(data) ? pickString(data, 'url', 'kyc_form_url', 'link') : undefined;
    return isSafeUrl(url) ? { url } : undefined;
  }
  return undefined;
}

/** Safe for a log line: a code's letters, digits and underscores, at most 64 of them. */
export function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_ .:-]/g, '?').slice(0, 64);
}

export function describe(error: unknown): string {
  if (error instanceof UpstreamError) return `${sanitize(error.code)} (${error.status})`;
  return error instanceof Error ? `${error.name}: ${sanitize(error.message)}` : 'unknown error';
}

/** A JSON object from a body's text: 400 for anything else. */
export function parseObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', `The ${what} is not JSON.`);
  }
  if (!isObject(value)) throw new HttpError(400, 'invalid_request', `The ${what} must be an object.`);
  return value;
}

export async function readBody(request: Request, limit: number): Promise<string> {
  return new TextDecoder().decode(await readBytes(request, limit));
}

/** The request body's exact bytes, up to `limit` (then 413). */
export async function readBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw new HttpError(413, 'payload_too_large', 'The request body is too large.');
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new HttpError(413, 'payload_too_large', 'The request body is too large.');
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}
