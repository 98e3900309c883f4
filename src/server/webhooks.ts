import { hmacSha256Hex, timingSafeEqual } from '../lib/hmac.js';

export type WebhookVerdict = { ok: true } | { ok: false; reason: string };

export interface VerifyOptions {
  secret: string;
  /** The `X-API-Key` expected; skipped when undefined. */
  apiKey?: string;
  /** Allowed clock difference in seconds (docs: 5 minutes). */
  toleranceSeconds?: number;
  now?: () => number;
}

/**
 * Verifies a CryptopocketAPI webhook: `X-Signature` = lowercase hex HMAC-SHA256(secret, rawBody + X-Timestamp),
 * `X-Timestamp` within the tolerance, `X-API-Key` matching. Never throws on malformed input.
 */
export async function verifyWebhook(rawBody: string | Uint8Array, headers: Headers, options: VerifyOptions): Promise<WebhookVerdict> {
  const signature = (headers.get('x-signature') ?? '').trim().toLowerCase();
  const timestamp = (headers.get('x-timestamp') ?? '').trim();
  const apiKey = headers.get('x-api-key') ?? '';
  if (options.apiKey !== undefined && !timingSafeEqual(apiKey, options.apiKey)) return { ok: false, reason: 'unknown X-API-Key' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed X-Timestamp' };
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return { ok: false, reason: 'X-Timestamp outside the allowed window' };
  if (!/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'missing or malformed X-Signature' };
  // over the raw bytes as they arrived (a body that is not valid UTF-8 is not "repaired" first), then the timestamp
  const body = typeof rawBody === 'string' ? new TextEncoder().encode(rawBody) : rawBody;
  const message = new Uint8Array(body.byteLength + timestamp.length);
  message.set(body);
  message.set(new TextEncoder().encode(timestamp), body.byteLength);
  const expected = await hmacSha256Hex(options.secret, message);
  return timingSafeEqual(expected, signature) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}

/** Signs a payload the way the API does (used by the simulator and by tests). */
export async function signWebhook(secret: string, rawBody: string, timestamp: number): Promise<string> {
  return hmacSha256Hex(secret, rawBody + String(timestamp));
}
