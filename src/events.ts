/** The element's events: one class each, all bubbling and composed (they cross the shadow root). */
import type { Flow, Quote, RampConfig, RampStatus, BankTransferDetails, KycStatus } from './types.js';

/** Each event class names its type (and whether it is cancelable) once, as static fields; the base reads them. */
abstract class RampEvent<T> extends Event {
  declare static readonly type: string;
  static readonly cancelable: boolean = false;
  constructor(readonly detail: T) {
    const kind = new.target as unknown as { type: string; cancelable: boolean };
    super(kind.type, { bubbles: true, composed: true, cancelable: kind.cancelable });
  }
}

/** `ramp-ready`: the configuration loaded. */
export class RampReadyEvent extends RampEvent<RampConfig> {
  static override readonly type = 'ramp-ready';
}

export interface RampErrorDetail {
  /** Machine code: ours (`session_expired`, `network_error`…) or the API's (`min_purchase`, `require_kyc`…). */
  code: string;
  /** A message for people, in English. */
  message: string;
  /** Whether trying the same thing again may work. */
  retryable: boolean;
}

/** `ramp-error`: something went wrong (prefixed so it never collides with the native `error` event). */
export class RampErrorEvent extends RampEvent<RampErrorDetail> {
  static override readonly type = 'ramp-error';
}

/** `quote-updated`: a new quote is shown. */
export class QuoteUpdatedEvent extends RampEvent<Quote> {
  static override readonly type = 'quote-updated';
}

export interface RampoffCreatedDetail {
  id: string;
  wallet: string;
  amount: string;
  symbol: string;
  chain?: string;
  fiatCurrency: string;
}

/** `rampoff-created`: an offramp operation was created (once per operation). */
export class RampoffCreatedEvent extends RampEvent<RampoffCreatedDetail> {
  static override readonly type = 'rampoff-created';
}

export interface RamponCreatedDetail {
  id: string;
  paymentType: string;
  paymentUrl?: string;
  bankTransfer?: BankTransferDetails;
  fiatAmount: string;
  fiatCurrency: string;
  symbol: string;
  chain?: string;
  wallet: string;
}

/** `rampon-created`: an onramp payment was created (once per payment). */
export class RamponCreatedEvent extends RampEvent<RamponCreatedDetail> {
  static override readonly type = 'rampon-created';
}

export interface StatusChangedDetail {
  id: string;
  flow: Flow;
  status: RampStatus;
  previousStatus?: RampStatus;
  /** The upstream status value. */
  raw: string;
}

/** `status-changed`: the operation moved forward in its lifecycle (once per real change). */
export class StatusChangedEvent extends RampEvent<StatusChangedDetail> {
  static override readonly type = 'status-changed';
}

export interface RampCompletedDetail {
  id: string;
  flow: Flow;
  fiatAmount?: string;
  fiatCurrency?: string;
  tokenAmount?: string;
  symbol?: string;
}

/** `ramp-completed`: the operation finished successfully. */
export class RampCompletedEvent extends RampEvent<RampCompletedDetail> {
  static override readonly type = 'ramp-completed';
}

export interface KycRequiredDetail {
  /** `pending` (not verified yet, or in progress), `failed`, or `reinforced` (more verification for this amount). */
  status: KycStatus | 'reinforced';
  url?: string;
}

/** `kyc-required`: the user must verify first. Cancelable: `preventDefault()` to run your own KYC UI. */
export class KycRequiredEvent extends RampEvent<KycRequiredDetail> {
  static override readonly type = 'kyc-required';
  static override readonly cancelable = true;
}

export interface DepositRequestedDetail {
  address: string;
  amount: string;
  symbol: string;
  chain?: string;
}

/** `deposit-requested`: the deposit step is shown. Cancelable: a host wallet may send the tokens itself. */
export class DepositRequestedEvent extends RampEvent<DepositRequestedDetail> {
  static override readonly type = 'deposit-requested';
  static override readonly cancelable = true;
}

/** `close-requested`: the user pressed the close button (`closable`). Cancelable: `preventDefault()` keeps the widget shown. */
export class CloseRequestedEvent extends RampEvent<Record<string, never>> {
  static override readonly type = 'close-requested';
  static override readonly cancelable = true;
  constructor() {
    super({});
  }
}

export interface ModeChangedDetail {
  /** The view the user picked. */
  view: Flow | 'history';
  /** The flow shown (or shown last, under Activity): the element's `mode`. */
  mode: Flow;
}

/** `mode-changed`: the user switched between buying, selling and Activity (a host that mirrors `mode` follows it). */
export class ModeChangedEvent extends RampEvent<ModeChangedDetail> {
  static override readonly type = 'mode-changed';
}

/** `account-created`: the user created their Cryptopocket account in the widget (their details stay with you). */
export class AccountCreatedEvent extends RampEvent<Record<string, never>> {
  static override readonly type = 'account-created';
}

/** `kyc-completed`: the user's identity verification passed while the widget waited for it (once). */
export class KycCompletedEvent extends RampEvent<Record<string, never>> {
  static override readonly type = 'kyc-completed';
}

/** Every event the element fires, by name: the one list the global map and the framework typings derive from. */
export interface RampEventMap {
  'ramp-ready': RampReadyEvent;
  'ramp-error': RampErrorEvent;
  'quote-updated': QuoteUpdatedEvent;
  'rampoff-created': RampoffCreatedEvent;
  'rampon-created': RamponCreatedEvent;
  'status-changed': StatusChangedEvent;
  'ramp-completed': RampCompletedEvent;
  'kyc-required': KycRequiredEvent;
  'deposit-requested': DepositRequestedEvent;
  'close-requested': CloseRequestedEvent;
  'mode-changed': ModeChangedEvent;
  'account-created': AccountCreatedEvent;
  'kyc-completed': KycCompletedEvent;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the widget's events join the DOM's map
  interface GlobalEventHandlersEventMap extends RampEventMap {}
}
