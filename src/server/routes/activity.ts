/** `GET activity`: both lists in one shape, newest first, each row checked against its owner. */
import { type Route, listFor, newestFirst } from '../context.js';
import { HttpError, json } from '../http.js';

export const activity: Route = async (ctx, { url, userId }) => {
  const cursor = url.searchParams.get('cursor');
  if (cursor !== null && !/^\d{1,6}$/.test(cursor)) throw new HttpError(400, 'invalid_request', 'Bad cursor.');
  const page = cursor ?? undefined;
  const [buys, sells] = await Promise.all([listFor(ctx, 'onramp', userId, page), listFor(ctx, 'offramp', userId, page)]);
  const items = [...buys.items, ...sells.items].sort(newestFirst);
  const next = buys.next || sells.next ? String(Number(page ?? 1) + 1) : undefined;
  return json(next ? { items, next } : { items });
};
