/** The offramp routes: quote and create (the rest is shared in `operations.ts`), and how a lost create is found again. */
import { isSepaIban, maskIban, normalizeIban } from '../../lib/iban.js';
import { validateIban } from '../../lib/iban-check.js';
import { multiplyDecimal } from '../../lib/money.js';
import type { CreatedRampoff } from '../../types.js';
import type { RampoffCreated } from '../api.js';
import {
  type Context,
  type OwnerRecord,
  type Route,
  MAX_TOKEN_DECIMALS,
  OWNER_TTL,
  assetFor,
  bodyString,
  checkAmount,
  checkRange,
  fiatFor,
  ownerOf,
  requiredParam,
} from '../context.js';
import { HttpError } from '../http.js';
import { ClaimConflict, type CreateAdapter } from '../ledger.js';
import { RECONCILE_PAGES, matchesRampoff } from '../upstream-map.js';
import { createRoute } from './operations.js';
import { quoteOrEstimate } from './quotes.js';

export const offrampQuote: Route = async (ctx, { url, user, userId }) => {
  const q = url.searchParams;
  const { symbol, chain, decimals } = await assetFor(ctx, user, requiredParam(q, 'symbol'), q.get('chain'));
  const tokenAmount = checkAmount(requiredParam(q, 'amount'), decimals);
  checkRange(ctx, 'offramp', symbol, tokenAmount);
  const fiat = fiatFor(user, q.get('fiat'));
  await ctx.limits.take('quote', userId);
  const base = { flow: 'offramp' as const, symbol, fiat, tokenAmount, ...(chain ? { chain } : {}) };
  return quoteOrEstimate(
    ctx,
    base,
    'fiatAmount',
    () => ctx.api.offrampQuote({ amount: tokenAmount, symbol, ...(chain ? { chain } : {}), fiat }),
    (rate) => multiplyDecimal(tokenAmount, rate, 2),
  );
};

export const createRampoff: Route = createRoute('offramp', async (ctx, { user, userId }, body) => {
  checkAmount(body.amount, MAX_TOKEN_DECIMALS); // the shape first: nothing goes upstream for a bad request
  const fiat = fiatFor(user, typeof body.fiat === 'string' ? body.fiat : undefined);
  let iban: string | undefined;
  let bankName: string | undefined;
  if (user.region === 'LATAM') bankName = bodyString(body, 'bankName', 128);
  else {
    iban = normalizeIban(bodyString(body, 'iban', 64));
    if (validateIban(iban)) throw new HttpError(422, 'invalid_iban', 'The IBAN is not valid.');
    if (!isSepaIban(iban)) throw new HttpError(422, 'iban_not_sepa', 'Euro payouts go to an IBAN in the SEPA area.');
  }
  const { symbol, chain, decimals } = await assetFor(ctx, user, body.symbol, body.chain);
  const amount = checkAmount(body.amount, decimals);
  checkRange(ctx, 'offramp', symbol, amount);
  return {
    attempt: { symbol, amount, fiat, ...(chain ? { chain } : {}), ...(iban ? { ibanMasked: maskIban(iban) } : {}) },
    send: () => ctx.api.createRampoff({ userId, amount, symbol, ...(chain ? { chain } : {}), ...(iban ? { iban } : {}), ...(bankName ? { bankName } : {}) }),
  };
});

/** Offramp creates in the ledger: found again by the user's rampoff list (rules in `upstream-map.ts`), claimed by the ownership record. */
export function offrampAdapter(ctx: Context, windowMs: number): CreateAdapter<RampoffCreated> {
  return {
    async find(attempt, scope, at) {
      const candidates: RampoffCreated[] = [];
      let page: string | undefined;
      for (let n = 0; n < RECONCILE_PAGES; n++) {
        const list = await ctx.api.list('offramp', scope.userId, page);
        const rows = list.items.filter((row) =>
          matchesRampoff(
            row,
            { symbol: attempt.symbol!, amount: attempt.amount!, at, ...(attempt.chain ? { chain: attempt.chain } : {}) },
            scope.userId,
            windowMs,
          ),
        );
        for (const row of rows.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''))) {
          const record = await ownerOf(ctx, 'offramp', row.id);
          if (record && record.key !== scope.key) continue; // another create's operation
          const wallet = row.wallet ?? (await ctx.api.operation('offramp', row.id)).wallet;
          if (wallet) candidates.push({ id: row.id, wallet });
          else ctx.log('offramp reconcile: a matching rampoff has no deposit address yet');
        }
        if (candidates.length || !list.next) break;
        page = list.next;
      }
      return candidates[0];
    },
    async record(result, attempt, scope, sent) {
      const record: OwnerRecord = { userId: scope.userId, key: scope.key, ...attempt, wallet: result.wallet };
      if (!(await ctx.store.setIfAbsent(`owner:offramp:${result.id}`, JSON.stringify(record), OWNER_TTL))) {
        const existing = await ownerOf(ctx, 'offramp', result.id);
        // ours; or the API's own answer to this create, for the same user (the API merged two creates into one)
        const ours = existing?.userId === scope.userId && (existing.key === scope.key || sent);
        if (!ours) throw new ClaimConflict('the rampoff is claimed by another create');
      }
      return { id: result.id, body: { id: result.id, wallet: result.wallet } satisfies CreatedRampoff };
    },
  };
}
