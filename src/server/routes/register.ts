/**
 * `POST register`: creates the Cryptopocket account of a merchant user who has none (`POST /api/registerUser`),
 * once per merchant user. Who registers is `resolveUser`'s answer only; the body may change only the fields the
 * merchant made editable. The new id goes to the merchant (`onUserRegistered`) and into the store by
 * `merchantUserId`; a second press, or a retry on another instance, gets the same answer and no second account.
 */
import { ACCOUNT_TTL, type Route, accountKey, isCallbackUrl, kycFormKey } from '../context.js';
import { HttpError, json, parseObject, readBody } from '../http.js';

const EMAIL = /^[^\s@<>]{1,64}@[^\s@<>]{1,190}\.[^\s@<>]{2,63}$/;

export const register: Route = async (ctx, { request, user, userId }) => {
  if (!user.merchantUserId) throw new HttpError(400, 'registration_unavailable', 'This merchant does not register users here.');
  const merchantUserId = user.merchantUserId;
  const body = parseObject(await readBody(request, ctx.maxBodyBytes), 'request body');
  const editable = ctx.registration.editable ?? [];
  const field = (name: 'name' | 'email') => {
    const typed = body[name];
    const value = editable.includes(name) && typeof typed === 'string' && typed.trim() ? typed.trim() : user[name];
    return value?.trim() || undefined;
  };
  const name = field('name');
  const email = field('email');
  if (!name || name.length > 255) throw new HttpError(422, 'invalid_name', 'Enter your full name.');
  if (!email || !EMAIL.test(email)) throw new HttpError(422, 'invalid_email', 'Enter a valid email address.');
  // already registered (by the merchant or by us): the same answer, no second account
  if (userId) return json({}, 200);
  const lock = `register:${merchantUserId}`;
  if (!(await ctx.store.setIfAbsent(lock, '1', 60_000)))
    throw new HttpError(409, 'request_in_progress', 'Your account is being created. Please wait a moment.', undefined, { 'retry-after': '1' });
  try {
    const stored = await ctx.store.get(accountKey(merchantUserId));
    if (stored) return json({}, 200);
    const callbackUrl = ctx.registration.callbackUrl ?? request.headers.get('referer') ?? undefined;
    const created = await ctx.api.registerUser({ name, email, ...(callbackUrl && isCallbackUrl(callbackUrl) ? { callbackUrl } : {}) });
    await ctx.store.set(accountKey(merchantUserId), created.id, ACCOUNT_TTL);
    if (created.kycFormUrl) await ctx.store.set(kycFormKey(merchantUserId), created.kycFormUrl, ACCOUNT_TTL);
    try {
      await ctx.registration.onUserRegistered?.(user, created.id, created.kycFormUrl);
    } catch (error) {
      ctx.log(`onUserRegistered failed for a new account: ${error instanceof Error ? error.name : 'error'}`);
    }
    return json(created.kycFormUrl ? { kycUrl: created.kycFormUrl } : {}, 201);
  } finally {
    await ctx.store.delete(lock).catch(() => {});
  }
};
