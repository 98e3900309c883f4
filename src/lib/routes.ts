/**
 * The session protocol's routes, described once: the browser's session client builds its paths from
 * this table and the server's router matches requests against it, so the two ends cannot drift.
 * Pure data and two small functions; shared by `src/server/` and the element.
 */
import type {
  CreatedPayment,
  CreatedRampoff,
  CreatePaymentRequest,
  CreateRampoffRequest,
  Flow,
  Operation,
  OperationList,
  PriceQuote,
  Quote,
  RampConfig,
  RegisterRequest,
  Registered,
} from '../types.js';

/** A path segment that is a parameter: an operation id or an Idempotency-Key. */
const ID = '[A-Za-z0-9_-]{1,64}';
const KEY = '[A-Za-z0-9_.:-]{8,128}';

/** Every route: method, path (relative to the session URL, `:name` marks a parameter) and the parameter patterns. */
export const ROUTES = {
  config: { method: 'GET', path: 'config' },
  price: { method: 'GET', path: 'price' },
  onrampQuote: { method: 'GET', path: 'onramp/quote' },
  offrampQuote: { method: 'GET', path: 'offramp/quote' },
  createPayment: { method: 'POST', path: 'onramp/payments' },
  createRampoff: { method: 'POST', path: 'offramp/operations' },
  payments: { method: 'GET', path: 'onramp/payments' },
  rampoffs: { method: 'GET', path: 'offramp/operations' },
  paymentByKey: { method: 'GET', path: 'onramp/payments/by-key/:key' },
  rampoffByKey: { method: 'GET', path: 'offramp/operations/by-key/:key' },
  payment: { method: 'GET', path: 'onramp/payments/:id' },
  rampoff: { method: 'GET', path: 'offramp/operations/:id' },
  activity: { method: 'GET', path: 'activity' },
  events: { method: 'GET', path: 'events' },
  webhooks: { method: 'POST', path: 'webhooks' },
  register: { method: 'POST', path: 'register' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; path: string }>;

export type RouteName = keyof typeof ROUTES;

/** What each route takes and answers (the request body for creates; the JSON answer for the rest). */
export interface RouteTypes {
  config: { response: RampConfig };
  price: { response: PriceQuote };
  onrampQuote: { response: Quote };
  offrampQuote: { response: Quote };
  createPayment: { request: CreatePaymentRequest; response: CreatedPayment };
  createRampoff: { request: CreateRampoffRequest; response: CreatedRampoff };
  payments: { response: OperationList };
  rampoffs: { response: OperationList };
  paymentByKey: { response: CreatedPayment };
  rampoffByKey: { response: CreatedRampoff };
  payment: { response: Operation };
  rampoff: { response: Operation };
  activity: { response: OperationList };
  events: { response: ReadableStream };
  webhooks: { response: { received: boolean; applied: boolean; duplicate?: boolean } };
  register: { request: RegisterRequest; response: Registered };
}

/** The routes of each flow, so a caller that holds a flow needs no branch of its own. */
export const FLOW_ROUTES = {
  onramp: { quote: 'onrampQuote', create: 'createPayment', list: 'payments', one: 'payment', byKey: 'paymentByKey' },
  offramp: { quote: 'offrampQuote', create: 'createRampoff', list: 'rampoffs', one: 'rampoff', byKey: 'rampoffByKey' },
} as const satisfies Record<Flow, Record<string, RouteName>>;

/** The path of a route with its parameters filled in (encoded). */
export function routePath(name: RouteName, params: Record<string, string> = {}): string {
  return ROUTES[name].path.replace(/:(\w+)/g, (_m, key: string) => {
    const value = params[key];
    if (value === undefined) throw new TypeError(`${name}: missing ${key}`);
    // a colon may stand in a path segment (RFC 3986 pchar), and keys use it: the server matches it as written
    return encodeURIComponent(value).replaceAll('%3A', ':');
  });
}

export type RouteMatch = { name: RouteName; params: Record<string, string> } | { name?: undefined; allowed: string[] };

let compiled: { name: RouteName; method: string; pattern: RegExp }[] | undefined;

/** Finds the route of a request; when only the method is wrong, says which methods the path allows. */
export function matchRoute(method: string, path: string): RouteMatch {
  compiled ??= (Object.entries(ROUTES) as [RouteName, (typeof ROUTES)[RouteName]][]).map(([name, route]) => ({
    name,
    method: route.method,
    pattern: new RegExp(`^${route.path.replace(/:(\w+)/g, (_m, key: string) => `(?<${key}>${key === 'key' ? KEY : ID})`)}$`),
  }));
  const allowed: string[] = [];
  for (const route of compiled) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.method === method) return { name: route.name, params: { ...match.groups } };
    allowed.push(route.method);
  }
  return { allowed };
}
