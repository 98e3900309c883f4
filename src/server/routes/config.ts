/** `GET config` and `GET price`: what the widget needs before the user types. */
import type { Asset, KycState, PriceQuote, RampConfig } from '../../types.js';
import { type Route, type SessionUser, fiatFor, kycFormKey, requiredParam } from '../context.js';
import { describe, json } from '../http.js';
import { DEFAULT_ASSETS, DEFAULT_EU_METHODS } from '../upstream-map.js';
import { UpstreamError } from '../upstream.js';

export const config: Route = async (ctx, input) => {
  const { user, userId } = input;
  if (!userId) return json(await unregistered(ctx, input));
  const [kyc, assets, methods, storedKycUrl] = await Promise.all([
    ctx.api.kyc(userId).catch((error: unknown): KycState => {
      if (error instanceof UpstreamError && error.code === 'authorization_incorrect') throw error;
      ctx.log(`kyc check failed: ${describe(error)}`);
      return { status: 'pending', raw: 'unknown' };
    }),
    ctx.assets(),
    ctx.api
      .paymentMethods(userId)
      .then((list) => (list.length ? list : Promise.reject(new Error('no payment methods'))))
      .catch((error: unknown) => {
        ctx.log(`payment methods failed, using defaults: ${describe(error)}`);
        return user.region === 'EU' ? DEFAULT_EU_METHODS : [];
      }),
    // the link the handler kept when it registered the user (read beside the API calls, not after them)
    !user.kycUrl && user.merchantUserId ? ctx.store.get(kycFormKey(user.merchantUserId)) : undefined,
  ]);
  const kycUrl = user.kycUrl ?? storedKycUrl;
  const result: RampConfig = {
    account: 'registered',
    ...offer(ctx, user, assets),
    paymentMethods: methods,
    kyc: kyc.url || !kycUrl ? kyc : { ...kyc, url: kycUrl },
  };
  if (user.accountHolder) result.accountHolder = user.accountHolder;
  if (ctx.amountLimits.onramp || ctx.amountLimits.offramp) result.limits = ctx.amountLimits;
  return json(result);
};

/** What every configuration says, with an account or without: region, currency, assets, the stream, the support contact. */
function offer(ctx: Parameters<Route>[0], user: SessionUser, assets: Asset[] | undefined) {
  const latam = user.region === 'LATAM';
  return {
    region: user.region,
    fiats: [fiatFor(user)],
    // LATAM sends no chain: the widget shows no network picker there
    assets: (assets ?? DEFAULT_ASSETS).map((asset) => ({ ...asset, chains: latam ? [] : asset.chains })),
    // webhooks make the stream fast; the handler's own reconciliation keeps it moving without them
    stream: true,
    ...(ctx.support ? { support: ctx.support } : {}),
    ...(ctx.terms ? { terms: ctx.terms } : {}),
  };
}

/** The configuration of a user without an account: what registering needs, and no call that needs a Cryptopocket id. */
async function unregistered(ctx: Parameters<Route>[0], { user }: Parameters<Route>[1]): Promise<RampConfig> {
  const { editable = [], termsUrl } = ctx.registration;
  return {
    ...offer(ctx, user, await ctx.assets()),
    paymentMethods: user.region === 'LATAM' ? [] : DEFAULT_EU_METHODS,
    kyc: { status: 'pending', raw: 'unregistered' },
    account: 'none',
    registration: {
      ...(user.name ? { name: user.name } : {}),
      ...(user.email ? { email: user.email } : {}),
      editable: user.merchantUserId ? editable : [],
      ...(termsUrl ? { termsUrl } : {}),
    },
  };
}

export const price: Route = async (ctx, { url, user, userId }) => {
  await ctx.limits.take('quote', userId);
  return json(await priceOf(ctx, requiredParam(url.searchParams, 'symbol'), fiatFor(user, url.searchParams.get('fiat'))));
};

export async function priceOf(ctx: Parameters<Route>[0], symbol: string, fiat: string): Promise<PriceQuote> {
  return { symbol, fiat, price: await ctx.api.price(symbol, fiat) };
}
