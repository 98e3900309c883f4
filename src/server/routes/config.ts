/** `GET config` and `GET price`: what the widget needs before the user types. */
import type { KycState, PriceQuote, RampConfig } from '../../types.js';
import { type Route, fiatFor, kycFormKey, requiredParam } from '../context.js';
import { describe, json } from '../http.js';
import { DEFAULT_ASSETS, DEFAULT_EU_METHODS } from '../upstream-map.js';
import { UpstreamError } from '../upstream.js';

export const config: Route = async (ctx, input) => {
  const { user, userId } = input;
  if (!userId) return json(await unregistered(ctx, input));
  const [kyc, assets, methods] = await Promise.all([
    ctx.api.kyc(userId).catch((error: unknown): KycState => {
      if (error instanceof UpstreamError && error.code === 'authorization_incorrect') throw error;
      ctx.log(`kyc check failed: ${describe(error)}`);
      return { status: 'pending', raw: 'unknown' };
    }),
    ctx.assets().then((list) => list ?? DEFAULT_ASSETS),
    ctx.api
      .paymentMethods(userId)
      .then((list) => (list.length ? list : Promise.reject(new Error('no payment methods'))))
      .catch((error: unknown) => {
        ctx.log(`payment methods failed, using defaults: ${describe(error)}`);
        return user.region === 'EU' ? DEFAULT_EU_METHODS : [];
      }),
  ]);
  const latam = user.region === 'LATAM';
  // the merchant's link, else the one the handler kept when it registered the user
  const kycUrl = user.kycUrl ?? (user.merchantUserId ? await ctx.store.get(kycFormKey(user.merchantUserId)) : undefined);
  const result: RampConfig = {
    account: 'registered',
    region: user.region,
    fiats: [fiatFor(user)],
    // LATAM sends no chain: the widget shows no network picker there
    assets: assets.map((asset) => ({ ...asset, chains: latam ? [] : asset.chains })),
    paymentMethods: methods,
    kyc: kyc.url || !kycUrl ? kyc : { ...kyc, url: kycUrl },
    // webhooks make the stream fast; the handler's own reconciliation keeps it moving without them
    stream: true,
  };
  if (user.accountHolder) result.accountHolder = user.accountHolder;
  if (ctx.amountLimits.onramp || ctx.amountLimits.offramp) result.limits = ctx.amountLimits;
  if (ctx.support) result.support = ctx.support;
  return json(result);
};

/** The configuration of a user without an account: what registering needs, and no call that needs a Cryptopocket id. */
async function unregistered(ctx: Parameters<Route>[0], { user }: Parameters<Route>[1]): Promise<RampConfig> {
  const assets = (await ctx.assets()) ?? DEFAULT_ASSETS;
  const latam = user.region === 'LATAM';
  const { editable = [], termsUrl } = ctx.registration;
  return {
    region: user.region,
    fiats: [fiatFor(user)],
    assets: assets.map((asset) => ({ ...asset, chains: latam ? [] : asset.chains })),
    paymentMethods: latam ? [] : DEFAULT_EU_METHODS,
    kyc: { status: 'pending', raw: 'unregistered' },
    stream: true,
    account: 'none',
    registration: {
      ...(user.name ? { name: user.name } : {}),
      ...(user.email ? { email: user.email } : {}),
      editable: user.merchantUserId ? editable : [],
      ...(termsUrl ? { termsUrl } : {}),
    },
    ...(ctx.support ? { support: ctx.support } : {}),
  };
}

export const price: Route = async (ctx, { url, user, userId }) => {
  await ctx.limits.take('quote', userId);
  return json(await priceOf(ctx, requiredParam(url.searchParams, 'symbol'), fiatFor(user, url.searchParams.get('fiat'))));
};

export async function priceOf(ctx: Parameters<Route>[0], symbol: string, fiat: string): Promise<PriceQuote> {
  return { symbol, fiat, price: await ctx.api.price(symbol, fiat) };
}
