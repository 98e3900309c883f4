/**
 * The widget's state for the current user, and the step machine of each flow. The element owns one `RampModel`;
 * the lazily loaded steps (src/steps/) change it through the same methods and reach the element only through the
 * narrow `RampHost` interface below. Data flows one way: attributes → model → controllers → templates → events.
 */
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import type { Translate } from './i18n/localize.js';
import type { RampError } from './lib/errors.js';
import type { SessionClient } from './lib/session-client.js';
import type { BankTransferDetails, Flow, Quote, RampConfig } from './types.js';
import type { KycGateKind } from './lib/status.js';

export type Step = 'amount' | 'payout' | 'wallet' | 'review' | 'tracking';

/**
 * Each flow's steps, in order. `next()` walks this list (after the current step's guard), `back()` walks it back;
 * nothing else moves a flow forward, except following an operation (`tracking`) and leaving one (`amount`).
 */
export const FLOW_STEPS: Record<Flow, readonly Step[]> = {
  onramp: ['amount', 'wallet', 'review', 'tracking'],
  offramp: ['amount', 'payout', 'review', 'tracking'],
};

/** What was created, as far as the widget knows it before the first status answer. */
export interface Created {
  id: string;
  wallet?: string;
  amount?: string;
  fiatAmount?: string;
  symbol?: string;
  chain?: string;
  fiat?: string;
  ibanMasked?: string;
  method?: string;
  paymentUrl?: string;
  bankTransfer?: BankTransferDetails;
}

export interface Form {
  symbol: string;
  chain: string;
  fiat: string;
  method: string;
  amount: string;
}

/** The fields of the model that its `set()` may change. */
export type ModelState = Pick<
  RampModel,
  | 'form'
  | 'amountTouched'
  | 'showHistory'
  | 'created'
  | 'payout'
  | 'walletInput'
  | 'copied'
  | 'payState'
  | 'notice'
  | 'walletSending'
  | 'walletTx'
  | 'depositSent'
  | 'qr'
  | 'expanded'
  | 'kycBlock'
  | 'kycChecking'
  | 'kycHostHandles'
  | 'kycAnnounced'
>;

export class RampModel {
  /** The user's current choices on the amount step. */
  form: Form = { symbol: '', chain: '', fiat: '', method: '', amount: '' };
  amountTouched = false;
  /** The Activity view is shown instead of a flow. */
  showHistory = false;
  steps!: Record<Flow, Step>;
  created!: Partial<Record<Flow, Created>>;
  payout!: { iban: string; ibanTouched: boolean; bankName: string; bankTouched: boolean };
  walletInput!: { value: string; touched: boolean };
  copied!: string;
  payState!: 'idle' | 'opened' | 'redirecting';
  notice!: string;
  walletSending!: boolean;
  walletTx!: string;
  /** The sale whose tokens the user said they sent (its id): its deposit step shows the wait, the address one press away. */
  depositSent?: string;
  /** What the drawn deposit QR code holds, for the address it was drawn for: a payment request, or the address only. */
  qr?: { for: string; holds: 'request' | 'address' };
  /** The Activity row shown open. */
  expanded!: string;
  /** A KYC refusal met during a create (it gates like an unverified config). */
  kycBlock?: { kind: KycGateKind; url?: string };
  kycChecking!: boolean;
  /** The host handles KYC itself (it cancelled `kyc-required`). */
  kycHostHandles = false;
  kycAnnounced!: string;
  /** Operations whose created event has fired: never twice. */
  readonly announced = new Set<string>();
  /** Operation ids resumed from this tab's storage (not asked for by the host): one the user does not own is dropped silently. */
  readonly resumedIds = new Set<string>();
  /** Checks run before `next()` leaves a step; a guard that returns false keeps the step (and shows why). */
  readonly guards: Partial<Record<Step, (flow: Flow) => boolean>> = {};

  constructor(
    private readonly on: {
      /** The model changed: render again. */
      changed(): void;
      /** A flow moved to another step. */
      stepped(flow: Flow, step: Step): void;
      /** This tab's storage scope for a flow's open operation (per session endpoint), if any. */
      scope(flow: Flow): string | undefined;
    },
    wallet = '',
  ) {
    this.forgetUser(wallet);
  }

  set(patch: Partial<ModelState>): void {
    Object.assign(this, patch);
    this.on.changed();
  }

  go(flow: Flow, step: Step): void {
    if (this.steps[flow] === step) return;
    this.steps = { ...this.steps, [flow]: step };
    this.on.changed();
    this.on.stepped(flow, step);
  }

  /** Moves `flow` to its next step when the current step's guard lets it. */
  next(flow: Flow): boolean {
    const list = FLOW_STEPS[flow];
    const at = list.indexOf(this.steps[flow]);
    if (at < 0 || at >= list.length - 1 || this.guards[list[at]!]?.(flow) === false) return false;
    this.go(flow, list[at + 1]!);
    return true;
  }

  /** Moves `flow` one step back; an operation being followed (or the first step) has no way back. */
  back(flow: Flow): boolean {
    const list = FLOW_STEPS[flow];
    const at = list.indexOf(this.steps[flow]);
    if (at < 1 || list[at] === 'tracking') return false;
    this.go(flow, list[at - 1]!);
    return true;
  }

  /** This tab's storage scope for a flow's open operation (per session endpoint), if any: the later steps keep it there. */
  scope(flow: Flow): string | undefined {
    return this.on.scope(flow);
  }

  /** Clears every trace of the current user (a new user may be next); `wallet` is the host's fixed address. */
  forgetUser(wallet: string): void {
    this.created = {};
    this.steps = { onramp: 'amount', offramp: 'amount' };
    this.payout = { iban: '', ibanTouched: false, bankName: '', bankTouched: false };
    this.walletInput = wallet ? { value: wallet, touched: true } : { value: '', touched: false };
    this.notice = '';
    this.kycBlock = undefined;
    this.kycChecking = false;
    this.kycAnnounced = '';
    this.walletSending = false;
    this.walletTx = '';
    this.copied = '';
    this.payState = 'idle';
    this.expanded = '';
    this.resumedIds.clear();
    this.on.changed();
  }

  /** Leaves `flow`'s operation and starts it again from the amount step (the operation itself goes on). */
  leave(flow: Flow): void {
    this.created = { ...this.created, [flow]: undefined };
    this.walletSending = false;
    this.walletTx = '';
    this.copied = '';
    this.payState = 'idle';
    this.amountTouched = false;
    this.payout = { ...this.payout, ibanTouched: false, bankTouched: false };
    this.walletInput = { ...this.walletInput, touched: false };
    this.form = { ...this.form, amount: '' };
    this.go(flow, 'amount');
    this.on.changed();
  }
}

/**
 * What the lazily loaded steps may use of the element: its model, its session client, its texts, its events and
 * focus, and the few attributes that shape the later steps. Never the element class itself.
 */
export interface RampHost extends ReactiveControllerHost {
  readonly model: RampModel;
  readonly client: SessionClient | undefined;
  /** The configuration, once loaded. */
  readonly config: RampConfig | undefined;
  /** The quote shown on the amount step, when there is one. */
  readonly quote: Quote | undefined;
  /** What the amount step says under the quote (how long it holds, where it comes from), for the review to repeat. */
  readonly quoteNote: TemplateResult;
  /** The flow shown. */
  readonly mode: Flow;
  /** The `redirect`, `callback-url` and `wallet` attributes. */
  readonly settings: { redirect: boolean; callbackUrl: string; wallet: string };
  readonly isConnected: boolean;
  /** True while the template commits (a field removed by a re-render fires focusout, which is no blur by the user). */
  readonly committing: boolean;
  readonly t: Translate;
  /** The amount step's value, as a decimal string, when it is valid. */
  amount(): string | undefined;
  emit(event: Event): boolean;
  emitError(error: RampError): void;
  errorMessage(error: RampError): string;
  focusField(id: string): void;
  /** Loads the configuration again (the user's KYC state may have changed). */
  reloadConfig(): Promise<void>;
  /** Shows `flow`. */
  show(flow: Flow): void;
  track(id: string, flow: Flow): void;
  /** Leaves the shown flow's operation. */
  reset(): void;
}
