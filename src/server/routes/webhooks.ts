/**
 * `POST webhooks`: verified (HMAC over the raw bytes), de-duplicated by the delivery's own id (else by a hash of
 * type, operation id and raw body — never by the operation id alone, never by the signature's spelling), then read
 * once from the API and handed to the follower, which publishes a real change once across all instances.
 */
import { sha256Hex } from '../../lib/hmac.js';
import { isObject, pickString, type JsonObject } from '../../lib/read.js';
import { isForward, normalizeStatus } from '../../lib/status.js';
import type { UpstreamOperation } from '../api.js';
import type { Context } from '../context.js';
import { HttpError, describe, json, parseObject, readBytes } from '../http.js';
import { WEBHOOK_EVENTS } from '../upstream-map.js';
import { verifyWebhook } from '../webhooks.js';

const DAY = 24 * 60 * 60 * 1000;

export interface WebhookOptions {
  secret?: string;
  apiKey: string;
}

export async function webhook(ctx: Context, request: Request, options: WebhookOptions): Promise<Response> {
  if (!options.secret) throw new HttpError(404, 'not_found', 'Webhooks are not configured.');
  const bytes = await readBytes(request, 64 * 1024);
  const verdict = await verifyWebhook(bytes, request.headers, { secret: options.secret, apiKey: options.apiKey, now: ctx.now });
  if (!verdict.ok) {
    ctx.log(`webhook rejected: ${verdict.reason}`);
    throw new HttpError(401, 'invalid_signature', 'Webhook signature rejected.');
  }
  const raw = new TextDecoder().decode(bytes);
  const payload = parseObject(raw, 'webhook body') as JsonObject;
  const type = (pickString(payload, 'type', 'event', 'event_type') ?? '').toUpperCase();
  const nested = isObject(payload.data);
  const data = isObject(payload.data) ? payload.data : payload;
  const id = pickString(data, 'id', 'payment_id', 'rampoff_id', 'operation_id');
  const known = WEBHOOK_EVENTS[type];
  if (!known || !id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return json({ received: true, applied: false });
  // the delivery's own id; a flat payload's `id` is the operation's, so it never names the delivery
  const deliveryId = pickString(payload, 'event_id', 'webhook_id', 'delivery_id') ?? (nested ? pickString(payload, 'id') : undefined);
  const dedupe = deliveryId ? `id:${deliveryId}` : `hash:${await sha256Hex(`${type}\n${id}\n${raw}`)}`;
  if (!(await ctx.store.setIfAbsent(`webhook:${dedupe}`, '1', DAY))) return json({ received: true, applied: false, duplicate: true });
  const told: UpstreamOperation = { id, flow: known.flow, status: normalizeStatus(known.flow, known.raw), raw: known.raw };
  // one read for everyone watching; when the API lags behind its own webhook, the webhook's status stands
  let op = told;
  try {
    const read = await ctx.api.operation(known.flow, id);
    op = isForward(read.status, told.status) ? { ...read, status: told.status, raw: told.raw } : read;
  } catch (error) {
    ctx.log(`webhook ${type}: operation read failed, using the webhook's status (${describe(error)})`);
  }
  const applied = await ctx.follower.observe(op, 'webhook');
  return json({ received: true, applied });
}
