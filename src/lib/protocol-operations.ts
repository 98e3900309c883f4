/**
 * Readers for the session protocol's operations (created, followed, listed), loaded with the later steps. Like
 * `protocol.ts`, each validates the shape before the widget uses it.
 */
import { normalizeStatus } from './status.js';
import { isSafeUrl } from './urls.js';
import { ShapeError, asArray, asObject, isObject, optionalDecimal, pickString, requireString } from './read.js';
import type { BankTransferDetails, CreatedPayment, CreatedRampoff, Flow, Operation, OperationList, RampStatus } from '../types.js';

const STATUSES: RampStatus[] = ['created', 'payment_pending', 'funds_received', 'processing', 'completed', 'failed', 'expired'];

export function parseOperation(body: unknown, expectedFlow?: Flow): Operation {
  const obj = asObject(body, 'operation');
  const flow = obj.flow;
  if (flow !== 'onramp' && flow !== 'offramp') throw new ShapeError('operation: bad flow');
  if (expectedFlow && flow !== expectedFlow) throw new ShapeError('operation: wrong flow');
  const raw = requireString(obj, 'operation', 'raw');
  const status = STATUSES.includes(obj.status as RampStatus) ? (obj.status as RampStatus) : normalizeStatus(flow, raw);
  const op: Operation = { id: requireString(obj, 'operation', 'id'), flow, status, raw };
  for (const key of ['symbol', 'chain', 'fiat', 'wallet', 'txid', 'ibanMasked', 'createdAt', 'method'] as const) {
    const value = pickString(obj, key);
    if (value) op[key] = value;
  }
  const paymentUrl = pickString(obj, 'paymentUrl');
  if (isSafeUrl(paymentUrl)) op.paymentUrl = paymentUrl;
  if (obj.bankTransfer !== undefined && obj.bankTransfer !== null) op.bankTransfer = parseBankTransfer(obj.bankTransfer);
  const fiatAmount = optionalDecimal(obj, 'operation', 'fiatAmount');
  const tokenAmount = optionalDecimal(obj, 'operation', 'tokenAmount');
  if (fiatAmount) op.fiatAmount = fiatAmount;
  if (tokenAmount) op.tokenAmount = tokenAmount;
  return op;
}

export function parseOperationList(body: unknown, flow: Flow): OperationList {
  const obj = asObject(body, 'list');
  const items = asArray(obj.items, 'list items').map((item) => parseOperation(item, flow));
  const next = pickString(obj, 'next');
  return next ? { items, next } : { items };
}

export function parseCreatedRampoff(body: unknown): CreatedRampoff {
  const obj = asObject(body, 'rampoff');
  return { id: requireString(obj, 'rampoff', 'id'), wallet: requireString(obj, 'rampoff', 'wallet') };
}

export function parseCreatedPayment(body: unknown): CreatedPayment {
  const obj = asObject(body, 'payment');
  const result: CreatedPayment = { id: requireString(obj, 'payment', 'id'), method: requireString(obj, 'payment', 'method') };
  const paymentUrl = pickString(obj, 'paymentUrl');
  if (isSafeUrl(paymentUrl)) result.paymentUrl = paymentUrl;
  if (obj.bankTransfer !== undefined) result.bankTransfer = parseBankTransfer(obj.bankTransfer);
  return result;
}

function parseBankTransfer(body: unknown): BankTransferDetails {
  const bank = asObject(body, 'bankTransfer');
  return {
    iban: requireString(bank, 'bankTransfer', 'iban'),
    bic: pickString(bank, 'bic') ?? '',
    beneficiary: pickString(bank, 'beneficiary') ?? '',
    reference: requireString(bank, 'bankTransfer', 'reference'),
  };
}

/** What registering needs, from a config answer for a user without an account (`account: "none"`), or `undefined`. */
export function parseRegistration(body: unknown): { name: string; email: string; editable: ('name' | 'email')[]; termsUrl?: string } | undefined {
  const obj = asObject(body, 'config');
  if (obj.account !== 'none') return undefined;
  const r = isObject(obj.registration) ? obj.registration : {};
  const editable = Array.isArray(r.editable) ? r.editable.filter((f): f is 'name' | 'email' => f === 'name' || f === 'email') : [];
  const termsUrl = pickString(r, 'termsUrl');
  return { name: pickString(r, 'name') ?? '', email: pickString(r, 'email') ?? '', editable, ...(isSafeUrl(termsUrl) ? { termsUrl } : {}) };
}
