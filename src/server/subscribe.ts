import { Upstream, UpstreamError } from './upstream.js';

export const WEBHOOK_TYPES = ['PAY_IN', 'COINS_SENT', 'CRYPTO_RECEIVED', 'TRANSFER_RAMPOFF_FINISHED'] as const;

export interface SubscribeOptions {
  /** Your webhook URL: the session handler's `{basePath}/webhooks`, public, https. */
  url: string;
  apiKey: string;
  apiSecret?: string;
  apiOrigin?: string;
  /** Event types (default: the four the widget follows). */
  types?: readonly string[];
  fetch?: typeof fetch;
}

/**
 * Subscribes your webhook URL to the events the status stream needs, once per type (docs:
 * `POST /api/subscribeToWebhook`, form-encoded `url` and `type`), falling back to
 * `POST /api/updateWebhookSubscription` when a subscription for the type already exists.
 * Returns the API's answer per type. Run it once when you deploy, not per request.
 */
export async function subscribeWebhooks(options: SubscribeOptions): Promise<Record<string, string>> {
  if (!/^https?:\/\//.test(options.url)) throw new TypeError('url must be an http(s) URL');
  const upstream = new Upstream({
    origin: options.apiOrigin ?? 'https://sandbox.cryptopocket.io',
    apiKey: options.apiKey,
    ...(options.apiSecret ? { apiSecret: options.apiSecret } : {}),
    fetch: options.fetch ?? ((...args) => globalThis.fetch(...args)),
    timeout: 10_000,
  });
  const results: Record<string, string> = {};
  for (const type of options.types ?? WEBHOOK_TYPES) {
    const form = { url: options.url, type };
    try {
      results[type] = String((await upstream.call('POST', '/api/subscribeToWebhook', { form })).data);
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.code === 'authorization_incorrect' || error.status === 0) throw error;
      results[type] = String((await upstream.call('POST', '/api/updateWebhookSubscription', { form })).data);
    }
  }
  return results;
}
