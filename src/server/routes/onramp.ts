/** The onramp routes: quote and create (the rest is shared in `operations.ts`), and how a lost create is found again. */
import { validateAddress } from '../../lib/address.js';
import { divideDecimal } from '../../lib/money.js';
import type { CreatedPayment } from '../../types.js';
import type { PaymentCreated } from '../api.js';
import {
  type Context,
  type OwnerRecord,
  type Route,
  FIAT_DECIMALS,
  OWNER_TTL,
  assetFor,
  bodyString,
  checkAmount,
  checkRange,
  fiatFor,
  isCallbackUrl,
  requiredParam,
} from '../context.js';
import { HttpError } from '../http.js';
import type { CreateAdapter } from '../ledger.js';
import { RECONCILE_PAGES, matchesPayment } from '../upstream-map.js';
import { createRoute } from './operations.js';
import { quoteOrEstimate } from './quotes.js';

export const onrampQuote: Route = async (ctx, { url, user, userId }) => {
  const q = url.searchParams;
  const fiatAmount = checkAmount(requiredParam(q, 'amount'), FIAT_DECIMALS);
  const { symbol, chain } = await assetFor(ctx, user, requiredParam(q, 'symbol'), q.get('chain'));
  const fiat = fiatFor(user, q.get('fiat'));
  checkRange(ctx, 'onramp', fiat, fiatAmount);
  const method = q.get('method');
  if (method !== null && !/^[A-Za-z0-9_-]{1,32}$/.test(method)) throw new HttpError(400, 'invalid_request', 'Unknown payment method.');
  await ctx.limits.take('quote', userId);
  const base = { flow: 'onramp' as const, symbol, fiat, fiatAmount, ...(chain ? { chain } : {}) };
  return quoteOrEstimate(
    ctx,
    base,
    'tokenAmount',
    () => ctx.api.onrampQuote({ amount: fiatAmount, symbol, ...(chain ? { chain } : {}), ...(method ? { method } : {}) }),
    (rate) => divideDecimal(fiatAmount, rate, 6),
  );
};

export const createPayment: Route = createRoute('onramp', async (ctx, { user, userId, request }, body) => {
  const fiatAmount = checkAmount(body.fiatAmount, FIAT_DECIMALS);
  const wallet = bodyString(body, 'wallet', 128);
  const method = bodyString(body, 'method', 32);
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(method)) throw new HttpError(400, 'invalid_request', 'Unknown payment method.');
  const fiat = fiatFor(user, typeof body.fiat === 'string' ? body.fiat : undefined);
  checkRange(ctx, 'onramp', fiat, fiatAmount);
  const { symbol, chain } = await assetFor(ctx, user, body.symbol, body.chain);
  if (validateAddress(wallet, chain)) throw new HttpError(422, 'invalid_wallet', 'The wallet address is not valid for this network.');
  const callback = typeof body.callbackUrl === 'string' ? body.callbackUrl : undefined;
  if (callback !== undefined && !isCallbackUrl(callback)) throw new HttpError(422, 'invalid_request', 'callbackUrl must be an http(s) URL.');
  const reference = request.headers.get('idempotency-key')!;
  return {
    attempt: { method, wallet, fiat, fiatAmount, symbol, ...(chain ? { chain } : {}) },
    send: () =>
      ctx.api.createPayment({
        userId,
        reference,
        method,
        fiat,
        fiatAmount,
        symbol,
        ...(chain ? { chain } : {}),
        wallet,
        ...(callback ? { callbackUrl: callback } : {}),
      }),
  };
});

/** Onramp creates in the ledger: found again by our reference (`external_id` = the Idempotency-Key) in the user's payments. */
export function onrampAdapter(ctx: Context): CreateAdapter<PaymentCreated> {
  return {
    async find(_attempt, scope) {
      let page: string | undefined;
      for (let n = 0; n < RECONCILE_PAGES; n++) {
        const list = await ctx.api.list('onramp', scope.userId, page);
        const row = list.items.find((item) => matchesPayment(item, scope.key, scope.userId));
        if (row) return { id: row.id };
        if (!list.next) break;
        page = list.next;
      }
      return undefined;
    },
    async record(result, attempt, scope) {
      // a payment is found by our own reference, so it cannot be another create's
      const created: CreatedPayment = { id: result.id, method: attempt.method! };
      if (result.paymentUrl) created.paymentUrl = result.paymentUrl;
      if (result.bankTransfer) created.bankTransfer = result.bankTransfer;
      // how to pay stays available to the status call, so a reloaded page can show it again
      const record: OwnerRecord = {
        userId: scope.userId,
        key: scope.key,
        method: attempt.method!,
        wallet: attempt.wallet!,
        ...(attempt.chain ? { chain: attempt.chain } : {}),
        ...(created.paymentUrl ? { paymentUrl: created.paymentUrl } : {}),
        ...(created.bankTransfer ? { bankTransfer: created.bankTransfer } : {}),
      };
      await ctx.store.set(`owner:onramp:${result.id}`, JSON.stringify(record), OWNER_TTL);
      return { id: result.id, body: created };
    },
  };
}
