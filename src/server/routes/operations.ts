/** What both flows share: the create's envelope (key, body, ledger), one operation, a list, and a create found by its key. */
import { sha256Hex } from '../../lib/hmac.js';
import type { Flow } from '../../types.js';
import { type Context, type Route, type RouteInput, listFor, operationFor } from '../context.js';
import { HttpError, describeFailure, json, parseObject, readBody } from '../http.js';
import type { Attempt, LedgerAnswer } from '../ledger.js';
import { UpstreamError } from '../upstream.js';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/** A create as a flow prepares it: what the ledger stores of it, and the upstream call. */
export interface PreparedCreate {
  attempt: Attempt;
  send: () => Promise<unknown>;
}

/**
 * The common part of `POST onramp/payments` and `POST offramp/operations`: the Idempotency-Key, a JSON object body,
 * the rate limit, then the flow's own checks (all before anything goes upstream) and the ledger, which sends at most once.
 */
export function createRoute(flow: Flow, prepare: (ctx: Context, input: RouteInput, body: Record<string, unknown>) => Promise<PreparedCreate>): Route {
  return async (ctx, input) => {
    const { request, userId } = input;
    const key = request.headers.get('idempotency-key') ?? '';
    if (!KEY.test(key)) throw new HttpError(400, 'idempotency_key_required', 'An Idempotency-Key header (8–128 characters) is required.');
    const text = await readBody(request, ctx.maxBodyBytes);
    const body = parseObject(text, 'request body');
    // the terms the review step shows are accepted with each create, or nothing is created
    if (ctx.terms && body.acceptedTerms !== true) throw new HttpError(422, 'terms_not_accepted', 'Accept the terms to continue.');
    await ctx.limits.take('create', userId);
    const prepared = await prepare(ctx, input, body);
    const send = async () => {
      try {
        return await prepared.send();
      } catch (error) {
        throw await withVerificationLink(ctx, userId, error);
      }
    };
    const answer = await ctx.ledger.create({ flow, userId, key }, await sha256Hex(text), prepared.attempt, send);
    return answerOf(ctx, answer);
  };
}

/**
 * `kyc_reinforced_required` names no link in the docs: the handler asks for the enhanced verification link (§2.8), so the
 * user gets somewhere to go. Nothing was created, so the refusal stays a refusal; without a link it stays as it was.
 */
async function withVerificationLink(ctx: Context, userId: string, error: unknown): Promise<unknown> {
  if (!(error instanceof UpstreamError) || error.code !== 'kyc_reinforced_required' || describeFailure(error).body.error.details?.url) return error;
  try {
    const url = await ctx.api.onboardingForm(userId);
    return url ? new UpstreamError(error.code, error.message, error.status, url, error.mayHaveReached) : error;
  } catch (lookup) {
    ctx.log(`enhanced verification link: not available (${lookup instanceof Error ? lookup.name : 'error'})`);
    return error;
  }
}

/** `GET …/by-key/:key`: what a create with this key came to, so a reloaded page finds what it created. */
export function byKeyRoute(flow: Flow): Route {
  return async (ctx, { params, userId }) => answerOf(ctx, await ctx.ledger.lookup({ flow, userId, key: params.key! }));
}

export function operationRoute(flow: Flow): Route {
  return async (ctx, { params, userId }) => json((await operationFor(ctx, flow, params.id!, userId)).op);
}

export function listRoute(flow: Flow): Route {
  return async (ctx, { url, userId }) => {
    const cursor = url.searchParams.get('cursor');
    if (cursor !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) throw new HttpError(400, 'invalid_request', 'Bad cursor.');
    return json(await listFor(ctx, flow, userId, cursor ?? undefined));
  };
}

/** A ledger answer as a response; a created operation is followed from now on (status reconciliation, the hook). */
async function answerOf(ctx: Context, answer: LedgerAnswer): Promise<Response> {
  if (answer.created) {
    const { flow, id, userId } = answer.created;
    ctx.follower.follow(flow, id, userId);
    await ctx.follower
      .observe({ id, flow, status: 'created', raw: 'created' }, 'create', userId)
      .catch((error: unknown) => ctx.log(`${flow} create: first status not recorded (${error instanceof Error ? error.name : 'error'})`));
  }
  return json(answer.body, answer.status, answer.headers);
}
