import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ConfigController } from './controllers/config-controller.js';
import type { PriceController } from './controllers/price-controller.js';
import { QuoteController, type QuoteRequest } from './controllers/quote-controller.js';
import { CloseRequestedEvent, ModeChangedEvent, QuoteUpdatedEvent, RampErrorEvent, RampReadyEvent } from './events.js';
import type { Strings } from './i18n/en.js';
import { dictionaryName, loadDictionary, registerEnglish, resolveLocale, translator, type Translate } from './i18n/localize.js';
import type { RampSteps } from './steps/steps.js';
import { RampError } from './lib/errors.js';
import { compareDecimal, formatFiat, formatToken, readAmount, startNumberFormat } from './lib/money.js';
import { nextTask } from './lib/tasks.js';
import { hasOpen } from './lib/resume-key.js';
import { SessionClient } from './lib/session-client.js';
import { chainLabel } from './lib/chains.js';
import { RampModel, type Form, type RampHost, type Step } from './model.js';
import type { AmountRange, Asset, Flow, OpenOperation, RampConfig } from './types.js';
import { styles } from './cryptopocket-ramp.styles.js';
import { errorState, estimateOf, loadingState, pickField, quoteNote } from './views/common.js';

/** How long the first render waits for the configuration before it shows the loading state (ms). */
const LOADING_DELAY = 100;
/** How long after the first view the later steps load when the user has not come near the element yet (ms). */
const PREFETCH_DELAY = 2000;

const FLOWS: Flow[] = ['onramp', 'offramp'];

/**
 * Buy crypto with fiat and sell crypto for fiat, over the CryptopocketAPI, through the merchant's session endpoint.
 *
 * @summary An embeddable onramp/offramp widget that never holds an API key.
 *
 * @attr session-url - URL of the merchant's session endpoint (required); protocol paths are relative to it.
 * @attr mode - The view shown: `onramp` (buy) or `offramp` (sell). Reflected.
 * @attr lock-mode - Fixes the view to `mode`: the user cannot switch between buying and selling.
 * @attr locale - BCP 47 locale for texts and numbers; defaults to the nearest `lang`, then the browser's. English, Spanish and Portuguese (Brazil) texts.
 * @attr theme - `light` (default), `dark`, or `auto` (follows `prefers-color-scheme`). Reflected.
 * @attr credentials - `same-origin` (default) or `include` for a session endpoint on another origin.
 * @attr amount - Pre-filled offramp amount: tokens to sell.
 * @attr fiat-amount - Pre-filled onramp amount: fiat to pay.
 * @attr symbol - Pre-selected token, e.g. `USDC`.
 * @attr chain - Pre-selected network, e.g. `polygon`.
 * @attr fiat - Pre-selected fiat currency, e.g. `EUR`.
 * @attr payment-method - Pre-selected onramp payment method, passed through to the API, e.g. `card`.
 * @attr wallet - Onramp destination address fixed by the host (shown read-only).
 * @attr redirect - Onramp: go to the payment page in this tab instead of a new one.
 * @attr callback-url - Onramp: where the payment page sends the user back; defaults to this page.
 * @attr operation-id - An operation to follow (in the flow given by `mode`), e.g. one your backend already knows.
 * @attr assets - Comma-separated tokens to offer (`USDC,USDT`): narrows the API's list, never widens it.
 * @attr chains - Comma-separated networks to offer (`polygon`): narrows the API's list, never widens it.
 * @attr views - Comma-separated views to offer: `onramp`, `offramp`, `history` (default all three).
 * @attr hide-history - Hides the Activity view.
 * @attr closable - Shows a close button (for use in a modal); it fires `close-requested`.
 *
 * @fires ramp-ready - The configuration loaded. Detail: the `RampConfig`.
 * @fires ramp-error - Something went wrong. Detail: `{ code, message, retryable }`.
 * @fires quote-updated - A new quote is shown. Detail: the `Quote`.
 * @fires rampoff-created - An offramp operation was created (once). Detail: `{ id, wallet, amount, symbol, chain, fiatCurrency }`.
 * @fires rampon-created - An onramp payment was created (once). Detail: `{ id, paymentType, paymentUrl?, bankTransfer?, fiatAmount, fiatCurrency, symbol, chain, wallet }`.
 * @fires status-changed - The operation moved forward. Detail: `{ id, flow, status, previousStatus, raw }`.
 * @fires ramp-completed - The operation finished. Detail: `{ id, flow, fiatAmount, fiatCurrency, tokenAmount, symbol }`.
 * @fires kyc-required - The user must verify their identity first (cancelable: call `preventDefault()` to run your own KYC flow). Detail: `{ status, url? }`.
 * @fires close-requested - The close button was pressed (cancelable: `preventDefault()` keeps the widget shown; otherwise it hides itself). Detail: `{}`.
 * @fires account-created - The user created their Cryptopocket account in the widget. Detail: `{}`.
 * @fires kyc-completed - The user's verification passed while the widget waited for it (once). Detail: `{}`.
 * @fires mode-changed - The user switched between buying, selling and Activity. Detail: `{ view, mode }`.
 * @fires deposit-requested - The deposit address is shown (cancelable: call `preventDefault()` when your wallet sends the tokens). Detail: `{ address, amount, symbol, chain }`.
 *
 * @csspart base - The card around the widget.
 * @csspart header - The title and the buy/sell tabs.
 * @csspart tabs - The buy/sell tab list.
 * @csspart progress - The step indicator ("Step 2 of 4").
 * @csspart amount-input - The amount input.
 * @csspart token-mark - A token's mark in its pill (hide it with `display: none`).
 * @csspart network-mark - A network's mark (in its pill, and as the badge on the token's).
 * @csspart quote - What the quote's state says under the amount pair (getting a quote, why there is none).
 * @csspart breakdown - The price breakdown: rate, processing fee, network fee, total.
 * @csspart quote-refresh - How long the quote holds ("New quote in 24 s").
 * @csspart primary-button - The main action button of a step.
 * @csspart deposit-address - The deposit address, in groups of four.
 * @csspart qr-code - The QR code canvas of the deposit (a payment request where the token's contract is known, else the address).
 * @csspart qr-caption - What the deposit QR code holds.
 * @csspart pending-dot - The pulsing dot beside a wait (still in reduced motion).
 * @csspart terms - The review step's terms box (when the merchant set terms).
 * @csspart bank-details - The bank transfer details of an onramp payment.
 * @csspart status-timeline - The list of an operation's steps.
 * @csspart kyc - The identity verification panel.
 * @csspart history-list - The list of past buys and sells.
 * @csspart error - The error message.
 * @csspart powered-by - The provider's mark under the card.
 *
 * @cssprop --cp-ramp-accent - Accent colour (buttons, selected tab). Default `#3b2fc9`.
 * @cssprop --cp-ramp-accent-text - Text on the accent colour. Default `#ffffff`.
 * @cssprop --cp-ramp-background - Card background. Default `#ffffff`.
 * @cssprop --cp-ramp-surface - Panels and tab track. Default `#f4f4f8`.
 * @cssprop --cp-ramp-text - Text colour. Default `#16161d`.
 * @cssprop --cp-ramp-muted - Secondary text. Default `#55566a`.
 * @cssprop --cp-ramp-danger - Errors. Default `#b3261e`.
 * @cssprop --cp-ramp-success - Success states. Default `#146c2e`.
 * @cssprop --cp-ramp-border - Input borders. Default `#8a8b9c`.
 * @cssprop --cp-ramp-radius - Corner radius. Default `12px`.
 * @cssprop --cp-ramp-spacing - Base spacing. Default `1rem`.
 * @cssprop --cp-ramp-font-family - Font family. Default the system UI font.
 * @cssprop --cp-ramp-focus-ring - Focus ring box-shadow.
 * @cssprop --cp-ramp-qr-dark - QR code modules. Default `#000000`.
 * @cssprop --cp-ramp-qr-light - QR code background. Default `#ffffff`.
 */
export class CryptopocketRamp extends LitElement {
  static override styles = styles;

  // a property without a `type` converts its attribute as a string (Lit's default)
  static override properties = {
    sessionUrl: { attribute: 'session-url' },
    mode: { reflect: true },
    lockMode: { type: Boolean, attribute: 'lock-mode' },
    locale: {},
    theme: { reflect: true },
    strings: { attribute: false },
    dictionary: { state: true },
    credentials: {},
    token: { attribute: false },
    amount: {},
    fiatAmount: { attribute: 'fiat-amount' },
    symbol: {},
    chain: {},
    fiat: {},
    paymentMethod: { attribute: 'payment-method' },
    wallet: {},
    redirect: { type: Boolean },
    callbackUrl: { attribute: 'callback-url' },
    operationId: { attribute: 'operation-id' },
    assets: {},
    chains: {},
    views: {},
    hideHistory: { type: Boolean, attribute: 'hide-history' },
    closable: { type: Boolean },
  };

  /** URL of the merchant's session endpoint. */
  declare sessionUrl: string;
  /** The view shown: `onramp` (buy) or `offramp` (sell). */
  declare mode: Flow;
  /** When true, the user cannot switch between buying and selling. */
  declare lockMode: boolean;
  /** BCP 47 locale; defaults to the nearest `lang`, then the browser's. */
  declare locale: string;
  /** `light`, `dark` or `auto`. */
  declare theme: 'light' | 'dark' | 'auto';
  /** Overrides for any text, by key (see `src/i18n/en.ts`); missing keys fall back to the locale, then English. */
  declare strings: Partial<Strings>;
  /** Fetch credentials mode for the session endpoint: `same-origin` or `include`. */
  declare credentials: RequestCredentials;
  /** Optional bearer token sent to the session endpoint (property only, never an attribute); a new one reloads the configuration. */
  declare token: string | undefined;
  /** Pre-filled offramp amount (tokens to sell). */
  declare amount: string;
  /** Pre-filled onramp amount (fiat to pay). */
  declare fiatAmount: string;
  /** Pre-selected token. */
  declare symbol: string;
  /** Pre-selected network. */
  declare chain: string;
  /** Pre-selected fiat currency. */
  declare fiat: string;
  /** Pre-selected onramp payment method. */
  declare paymentMethod: string;
  /** Onramp destination address fixed by the host. */
  declare wallet: string;
  /** Onramp: redirect this tab to the payment page instead of opening a new one. */
  declare redirect: boolean;
  /** Onramp: where the payment page sends the user back (default: this page). */
  declare callbackUrl: string;
  /** An operation to follow. */
  declare operationId: string;
  /** Tokens to offer (comma-separated); narrows the API's list. */
  declare assets: string;
  /** Networks to offer (comma-separated); narrows the API's list. */
  declare chains: string;
  /** Views to offer (comma-separated `onramp`, `offramp`, `history`). */
  declare views: string;
  /** Hides the Activity view. */
  declare hideHistory: boolean;
  /** Shows a close button that fires `close-requested`. */
  declare closable: boolean;

  /** The active locale's texts, loaded lazily. */
  declare private dictionary: Partial<Strings>;
  #dictionaryLoaded = '';
  #client?: SessionClient;
  #t: Translate = translator();
  /** The user's state and each flow's step machine (see `src/model.ts`). */
  readonly #model = new RampModel({
    changed: () => this.requestUpdate(),
    // the user was in the widget (the button they pressed is about to go): take focus to the new step
    stepped: (flow, step) => {
      if (flow === this.mode && this.matches(':focus-within')) this.#stepFocus = step;
    },
    scope: (flow) => (this.#client ? `${this.#client.base.href}|${flow}` : undefined),
  });
  readonly #loader = new ConfigController(this, () => this.#client, {
    ready: (config) => this.#handleConfig(config),
    failed: (error) => this.#emitError(error),
  });
  readonly #quotes = new QuoteController(this, () => this.#client, {
    quoted: (quote) => {
      this.dispatchEvent(new QuoteUpdatedEvent(quote));
      this.#loadBreakdown();
    },
    failed: (error) => this.#emitError(error),
    // the quote is on screen on the amount step and the review: there it stays fresh
    live: () => this.isConnected && !this.#model.showHistory && (this.#step === 'amount' || this.#step === 'review'),
  });
  /** The token price under the amount: a hint, loaded after the first view (see `views/extras.ts`). */
  #price?: PriceController;
  /** The steps after the amount, once loaded (see `loadSteps`). */
  #later?: RampSteps;
  #stepsLoading?: Promise<RampSteps>;
  /** The later steps' chunk failed to load (shown with a retry button). */
  #stepsError?: RampError;
  /** True while the template commits: a focused field removed by a re-render fires focusout, which is no blur by the user. */
  #committing = false;
  /** A step that should receive focus once it is rendered (see `focusStep`). */
  #stepFocus?: Step;
  /** The connection settings the current client was made with (see `makeClient`). */
  #clientMadeFor = '';
  #prefetchTimer?: ReturnType<typeof setTimeout>;
  /** The marks, the step indicator, the provider's mark and the price controller, once loaded (see `views/extras.ts`). */
  #extras?: typeof import('./views/extras.js');
  /** The price breakdown, once loaded (after the first quote). */
  #breakdown?: typeof import('./views/breakdown.js');
  #breakdownLoading?: Promise<unknown>;
  readonly #prefetch = () => this.#withSteps(() => {});

  constructor() {
    super();
    this.sessionUrl = '';
    this.mode = 'onramp';
    this.lockMode = false;
    this.locale = '';
    this.theme = 'light';
    this.strings = {};
    this.dictionary = {};
    this.credentials = 'same-origin';
    this.token = undefined;
    this.amount = '';
    this.fiatAmount = '';
    this.symbol = '';
    this.chain = '';
    this.fiat = '';
    this.paymentMethod = '';
    this.wallet = '';
    this.redirect = false;
    this.callbackUrl = '';
    this.operationId = '';
    this.assets = '';
    this.chains = '';
    this.views = '';
    this.hideHistory = false;
    this.closable = false;
    // the amount step's guard: a valid amount, else its field gets focus (with the message under it)
    this.#model.guards.amount = () => {
      const amount = this.#amountCheck();
      if (!amount.value || amount.error) this.#focusField('amount');
      return Boolean(amount.value && !amount.error);
    };
  }

  /** The configuration the session endpoint gave (tokens, networks, currencies, KYC state), once loaded; see `ramp-ready`. */
  get config(): RampConfig | undefined {
    return this.#loader.state.status === 'ready' ? this.#loader.state.config : undefined;
  }

  #resolveReady!: (config: RampConfig) => void;
  /**
   * Resolves with the first configuration (the first `ramp-ready`), however late it is awaited: code that runs after
   * hydration loses nothing. It does not reject: failures arrive as `ramp-error`, and the widget offers a retry.
   */
  readonly ready: Promise<RampConfig> = new Promise((resolve) => (this.#resolveReady = resolve));

  /**
   * The operation on screen in the current `mode`, once created (or resumed): `{ id, flow }` at once, with `status`,
   * amounts and the rest as soon as the status reports them; `undefined` when none is open. Read-only.
   */
  get operation(): OpenOperation | undefined {
    return this.#later?.current(this.mode);
  }

  override connectedCallback(): void {
    this.#client = this.#makeClient();
    super.connectedCallback();
    // the marks and the token price come after the first view, beside the configuration (see `views/extras.ts`)
    import('./views/extras.js').then(
      (extras) => {
        this.#adopt(extras.markStyles.styleSheet);
        this.#adopt(extras.chromeStyles.styleSheet);
        registerEnglish(extras.enExtras);
        this.#extras = extras;
        this.#price ??= new extras.PriceController(this, () => this.#client, { prepare: () => startNumberFormat(resolveLocale(this, this.locale)) });
        this.requestUpdate();
      },
      () => {},
    );
    for (const type of ['pointerover', 'focusin', 'touchstart']) this.addEventListener(type, this.#prefetch, { once: true, passive: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#prefetchTimer);
  }

  /**
   * The first render waits for the configuration, up to `LOADING_DELAY` ms: a fast session endpoint shows the finished
   * view at once, with no flash of the loading state (and no render and layout of it); a slow one shows the loading
   * state after that delay. The render has a task of its own: neither the script's evaluation nor the configuration's
   * answer (which also reads the storage to resume) grows into one long task with it.
   */
  protected override async scheduleUpdate(): Promise<unknown> {
    if (!this.hasUpdated) {
      if (this.#loader.state.status === 'loading') await Promise.race([this.#loader.settled, new Promise((resolve) => setTimeout(resolve, LOADING_DELAY))]);
      await nextTask();
    }
    return super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const m = this.#model;
    if (changed.has('mode') && this.mode !== 'onramp' && this.mode !== 'offramp') this.mode = 'onramp';
    if (changed.has('locale') || !this.#dictionaryLoaded) this.#loadTexts();
    if (changed.has('dictionary' as keyof CryptopocketRamp) || changed.has('strings')) this.#t = translator(this.dictionary, this.strings ?? {});
    // the endpoint, credentials or token differ from the client's (set after connecting, even before the first answer)
    if (this.isConnected && this.#connection() !== this.#clientMadeFor) {
      // a new endpoint, credentials or token may be another user: nothing of the previous one stays
      if (this.#clientMadeFor) this.#forgetUser();
      this.#client = this.#makeClient();
      void this.#loader.load();
    }
    if (changed.has('wallet') && this.wallet) m.walletInput = { value: this.wallet, touched: true };
    if ((changed.has('amount') || changed.has('fiatAmount') || changed.has('mode')) && this.#step === 'amount' && this.hasUpdated)
      m.form = { ...m.form, amount: this.#prefilledAmount() };
    if (changed.has('operationId') && changed.get('operationId') !== undefined && this.operationId && this.config) this.track(this.operationId);
    if (this.#step === 'amount' && !m.showHistory) {
      this.#requestQuote();
      this.#price?.watch(this.config ? m.form.symbol : undefined, m.form.fiat || undefined);
    }
    if (changed.has('views') || changed.has('lockMode') || changed.has('hideHistory')) {
      const flows = this.#enabledFlows();
      if (!flows.includes(this.mode) && flows[0]) this.mode = flows[0];
    }
  }

  protected override update(changed: PropertyValues<this>): void {
    this.#committing = true;
    try {
      super.update(changed);
    } finally {
      this.#committing = false;
    }
  }

  protected override updated(): void {
    if (this.#stepFocus) this.#focusStep();
    this.#later?.rendered(this.renderRoot);
  }

  // ── public methods ──────────────────────────────────────────────────────

  /**
   * Loads the configuration again (after an error, or when the user's session changed). Nothing of the previous user
   * stays: open operations, Activity, entered payout details and notices are cleared before the new answer renders; an
   * operation this tab still had open comes back only if the session endpoint says it is the new user's.
   */
  reload(): Promise<void> {
    this.#forgetUser();
    this.#client = this.#makeClient();
    return this.#loader.load();
  }

  /**
   * Follows an operation the host already knows (or one resumed after a reload).
   * @param id - The operation id.
   * @param flow - `onramp` or `offramp`; defaults to the current `mode`.
   */
  track(id: string, flow: Flow = this.mode): void {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      this.#emitError(new RampError('invalid_operation_id', 'The operation id is not valid.', false));
      return;
    }
    const m = this.#model;
    this.mode = flow;
    m.set({ created: { ...m.created, [flow]: { ...(m.created[flow]?.id === id ? m.created[flow] : {}), id } } });
    m.go(flow, 'tracking');
    this.#withSteps((later) => later.follow(flow, id));
  }

  /**
   * Reports the transaction with which the host's wallet sent the tokens (after it cancelled `deposit-requested`).
   * @param txHash - The transaction hash (`0x` + 64 hex for EVM networks).
   */
  depositSent(txHash: string): void {
    // the deposit is a later step: they are loaded whenever there is one to report
    this.#withSteps((later) => later.depositSent(txHash));
  }

  /** Shows the widget again (after `close-requested` hid it) and focuses it. */
  open(): void {
    this.hidden = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('input, select, button')?.focus());
  }

  /** Leaves the current operation of the shown flow and starts again from the amount step. */
  reset(): void {
    const flow = this.mode;
    this.#model.leave(flow);
    // the operation itself goes on; this tab stops following it (and forgets it, so a reload does not bring it back)
    this.#withSteps((later) => later.reset(flow));
  }

  // ── set-up ──────────────────────────────────────────────────────────────

  /** Clears every trace of the current user from the screen and from memory (a new user may be next). */
  #forgetUser(): void {
    this.#later?.forgetUser();
    this.#model.forgetUser(this.wallet);
  }

  /** What the lazily loaded steps may use of the element (see `RampHost`). */
  #host(): RampHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the host's getters read the element's current state
    const el = this;
    return {
      model: this.#model,
      get client() {
        return el.#client;
      },
      get config() {
        return el.config;
      },
      get quote() {
        return el.#quotes.state.status === 'ready' ? el.#quotes.state.quote : undefined;
      },
      get quoteNote() {
        return quoteNote(el.#quotes.state, el.#quotes.secondsLeft, el.#t);
      },
      get mode() {
        return el.mode;
      },
      get settings() {
        return { redirect: el.redirect, callbackUrl: el.callbackUrl, wallet: el.wallet };
      },
      get isConnected() {
        return el.isConnected;
      },
      get committing() {
        return el.#committing;
      },
      get t() {
        return el.#t;
      },
      get updateComplete() {
        return el.updateComplete;
      },
      addController: (controller) => this.addController(controller),
      removeController: (controller) => this.removeController(controller),
      requestUpdate: () => this.requestUpdate(),
      amount: () => this.#amountCheck().value,
      emit: (event) => this.dispatchEvent(event),
      emitError: (error) => this.#emitError(error),
      errorMessage: (error) => this.#errorMessage(error),
      focusField: (id) => this.#focusField(id),
      reloadConfig: () => this.#loader.load(),
      show: (flow) => (this.mode = flow),
      track: (id, flow) => this.track(id, flow),
      reset: () => this.reset(),
    };
  }

  /**
   * Loads the steps after the amount (once): their code, styles and English texts. When the chunk cannot be loaded,
   * the widget says so with a retry button and fires a retryable `ramp-error` (`chunk_failed`), never an endless spinner.
   */
  #loadSteps(): Promise<RampSteps> {
    this.#stepsLoading ??= import('./steps/steps.js').then(
      (module) => {
        registerEnglish(module.enSteps);
        this.#adopt(module.stepStyles.styleSheet);
        this.#later = new module.RampSteps(this.#host());
        this.#stepsError = undefined;
        this.requestUpdate();
        return this.#later;
      },
      (error: unknown) => {
        this.#stepsLoading = undefined; // the retry button asks again
        this.#stepsError = new RampError('chunk_failed', 'Part of the widget could not be loaded. Check your connection and try again.', true);
        this.#emitError(this.#stepsError);
        this.requestUpdate();
        throw error;
      },
    );
    return this.#stepsLoading;
  }

  /** Loads the price breakdown (once) when the first quote arrives; without it the pair still shows the estimate. */
  #loadBreakdown(): void {
    if (this.#breakdownLoading) return;
    this.#breakdownLoading = import('./views/breakdown.js').then(
      (module) => {
        registerEnglish(module.enBreakdown);
        this.#adopt(module.summaryStyles.styleSheet);
        this.#breakdown = module;
        this.requestUpdate();
      },
      () => (this.#breakdownLoading = undefined), // a later quote asks again
    );
  }

  /** Runs `work` once the later steps are loaded; a failed load is already shown and reported (see `loadSteps`). */
  #withSteps(work: (later: RampSteps) => void): void {
    this.#loadSteps().then(work, () => {});
  }

  /** Adds a lazily loaded part's styles to the shadow root (once). */
  #adopt(sheet: CSSStyleSheet | undefined): void {
    const root = this.renderRoot as ShadowRoot | undefined;
    if (sheet && root?.adoptedStyleSheets && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }

  #handleClose(): void {
    const event = new CloseRequestedEvent();
    this.dispatchEvent(event);
    if (!event.defaultPrevented) this.hidden = true;
  }

  /** Loads the active locale's dictionary (only that one); English shows meanwhile. */
  #loadTexts(): void {
    const name = dictionaryName(resolveLocale(this, this.locale));
    if (name === this.#dictionaryLoaded) return;
    this.#dictionaryLoaded = name;
    loadDictionary(name)
      .then((dictionary) => {
        if (this.#dictionaryLoaded === name) this.dictionary = dictionary;
      })
      .catch(() => this.#emitError(new RampError('locale_failed', `The ${name} texts could not be loaded; English is shown.`, false)));
  }

  #connection(): string {
    return `${this.sessionUrl}\n${this.credentials}\n${this.token ?? ''}`;
  }

  #makeClient(): SessionClient | undefined {
    this.#clientMadeFor = this.#connection();
    if (!this.sessionUrl) return undefined;
    try {
      return new SessionClient({
        url: this.sessionUrl,
        credentials: this.credentials === 'include' ? 'include' : 'same-origin',
        ...(this.token ? { token: this.token } : {}),
      });
    } catch {
      return undefined;
    }
  }

  get #step(): Step {
    return this.#model.steps[this.mode];
  }

  /**
   * Moves focus to the step just shown, so a keyboard or screen-reader user lands where the step begins and hears its
   * name: its heading (made focusable), or on the amount step its first field. Waits while the step is still loading.
   */
  #focusStep(): void {
    const panel = this.renderRoot.querySelector<HTMLElement>('#panel');
    if (!panel || !this.#stepFocus) return;
    const target = this.#stepFocus === 'amount' ? panel.querySelector<HTMLElement>('input, select') : panel.querySelector<HTMLElement>('h3');
    if (!target) return;
    this.#stepFocus = undefined;
    if (target.tagName === 'H3') target.tabIndex = -1;
    target.focus();
  }

  #focusField(id: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${id}`)?.focus());
  }

  /** Escape goes one step back, where that is safe: never out of an operation being followed, nor while a create runs. */
  #handleKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.#model.showHistory || this.#later?.busy(this.mode)) return;
    if (this.#model.back(this.mode)) event.preventDefault();
  }

  #prefilledAmount(): string {
    return this.mode === 'onramp' ? this.fiatAmount : this.amount;
  }

  /** The API's assets, narrowed by the `assets` and `chains` attributes (never widened). */
  #offered(config: RampConfig): Asset[] {
    const symbols = csv(this.assets).map((s) => s.toUpperCase());
    const chains = csv(this.chains).map((c) => c.toLowerCase());
    return config.assets
      .filter((a) => !symbols.length || symbols.includes(a.symbol))
      .map((a) => ({ ...a, chains: chains.length && a.chains.length ? a.chains.filter((c) => chains.includes(c.toLowerCase())) : a.chains }))
      .filter((a) => !chains.length || a.chains.length || config.region === 'LATAM');
  }

  #enabledFlows(): Flow[] {
    if (this.lockMode) return [this.mode];
    const views = csv(this.views);
    const flows = FLOWS.filter((f) => !views.length || views.includes(f));
    return flows.length ? flows : [this.mode];
  }

  #historyEnabled(): boolean {
    const views = csv(this.views);
    return !this.hideHistory && !this.lockMode && (!views.length || views.includes('history'));
  }

  #handleConfig(config: RampConfig): void {
    const m = this.#model;
    const offered = this.#offered(config);
    if (!offered.length) {
      this.#emitError(new RampError('no_assets', 'None of the tokens in the assets/chains attributes is offered by the API.', false));
      return;
    }
    const current = offered.find((a) => a.symbol === m.form.symbol);
    const sameUser = config.fiats.includes(m.form.fiat) && (!config.paymentMethods.length || config.paymentMethods.includes(m.form.method));
    if (current && sameUser && (!current.chains.length || current.chains.includes(m.form.chain))) {
      // a reload (e.g. after a KYC check) keeps what the user chose
      this.#finishConfig(config);
      return;
    }
    const prefilled = this.symbol ? offered.find((a) => a.symbol === this.symbol.toUpperCase()) : undefined;
    const asset = prefilled ?? offered[0]!;
    const chain = asset.chains.includes(this.chain) ? this.chain : (asset.chains[0] ?? '');
    if ((this.symbol && !prefilled) || (this.chain && asset.chains.length && !asset.chains.includes(this.chain))) {
      this.#emitError(
        new RampError(
          'unsupported_asset',
          `${this.symbol || asset.symbol}${this.chain ? ` on ${this.chain}` : ''} is not available; ${asset.symbol}${chain ? ` on ${chain}` : ''} is selected instead.`,
          false,
        ),
      );
    }
    const fiat = config.fiats.includes(this.fiat.toUpperCase()) ? this.fiat.toUpperCase() : config.fiats[0]!;
    const method = config.paymentMethods.includes(this.paymentMethod) ? this.paymentMethod : (config.paymentMethods[0] ?? '');
    m.set({ form: { symbol: asset.symbol, chain, fiat, method, amount: this.#prefilledAmount() } });
    this.#finishConfig(config);
  }

  #finishConfig(config: RampConfig): void {
    this.#model.set({ kycChecking: false });
    this.dispatchEvent(new RampReadyEvent(config));
    this.#resolveReady(config);
    this.#resume();
    if (this.#model.showHistory) this.#withSteps((later) => void later.history.refresh());
    if (config.kyc.status !== 'valid') this.#withSteps((later) => later.announceKyc(config));
    // the later steps load as soon as the user comes near (pointer, focus, touch), or once the page has been idle a
    // while: Continue is instant, and they do not compete with the first view or the first price
    if (!this.#stepsLoading) {
      clearTimeout(this.#prefetchTimer);
      this.#prefetchTimer = setTimeout(() => {
        const idle = (globalThis as { requestIdleCallback?: (callback: () => void) => void }).requestIdleCallback ?? ((callback: () => void) => callback());
        idle(() => this.isConnected && this.#withSteps(() => {}));
      }, PREFETCH_DELAY);
    }
  }

  /** After the config: follow `operation-id`, or the open operations a reload interrupted (the later steps keep those). */
  #resume(): void {
    const m = this.#model;
    if (this.operationId && !m.created[this.mode]) this.track(this.operationId);
    // the steps load now only when this tab has something to resume (else they wait for the user, see finishConfig)
    else if (FLOWS.some((flow) => !m.created[flow] && hasOpen(m.scope(flow) ?? ''))) this.#withSteps((later) => later.resume());
  }

  // ── events ──────────────────────────────────────────────────────────────

  #emitError(error: RampError): void {
    this.dispatchEvent(new RampErrorEvent({ code: error.code, message: error.message, retryable: error.retryable }));
  }

  // ── amount step (both flows) ────────────────────────────────────────────

  get #asset(): Asset | undefined {
    return this.config ? this.#offered(this.config).find((a) => a.symbol === this.#model.form.symbol) : undefined;
  }

  /** The amount as a decimal string, or the message to show (what is wrong, with the figure when a limit refuses it). */
  #amountCheck(): { value?: string; error?: string } {
    const { form, amountTouched } = this.#model;
    const t = this.#t;
    const locale = resolveLocale(this, this.locale);
    const text = form.amount.trim();
    if (!text) return amountTouched ? { error: t('amount.invalid') } : {};
    const reading = readAmount(text, locale);
    // 15 integer digits is the session endpoint's own ceiling (beyond any real amount, and beyond a float's precision)
    if (text.length > 64 || ('value' in reading && reading.value.split('.')[0]!.length > 15)) return { error: t('amount.tooLarge') };
    if (!('value' in reading)) {
      const { decimal, group } = reading;
      const example = `1${group}234${decimal}5`;
      if (reading.problem !== 'ambiguous') return { error: t(reading.problem === 'chars' ? 'amount.chars' : 'amount.format', { decimal, group, example }) };
      const [a, b] = reading.readings.map((v) => this.#formatAmount(v));
      return { error: t('amount.ambiguous', { a: a!, b: b!, decimal, example }) };
    }
    const value = reading.value;
    if (value === '0') return { error: t('amount.invalid') };
    const decimals = this.mode === 'onramp' ? 2 : (this.#asset?.decimals ?? 18);
    if ((value.split('.')[1]?.length ?? 0) > decimals) return { error: t('amount.decimals', { decimals }) };
    const range = this.#range();
    if (range?.min && compareDecimal(value, range.min) < 0) return { error: t('amount.minimum', { minimum: this.#formatAmount(range.min) }) };
    if (range?.max && compareDecimal(value, range.max) > 0) return { error: t('amount.maximum', { maximum: this.#formatAmount(range.max) }) };
    const quote = this.#quotes.state;
    if (quote.status === 'unavailable' && quote.request.amount === value && quote.error.code === 'min_purchase' && quote.error.details.minimum) {
      return { value, error: t('amount.minimum', { minimum: this.#formatAmount(quote.error.details.minimum) }) };
    }
    return { value };
  }

  /** The merchant's limits for what the user types: a purchase's fiat, a sale's token. */
  #range(): AmountRange | undefined {
    const { form } = this.#model;
    return this.config?.limits?.[this.mode]?.[this.mode === 'onramp' ? form.fiat : form.symbol];
  }

  /** An amount in the unit the user types: fiat to pay, or tokens to sell. */
  #formatAmount(value: string): string {
    const { form } = this.#model;
    const locale = resolveLocale(this, this.locale);
    return this.mode === 'onramp' ? formatFiat(value, form.fiat, locale) : formatToken(value, form.symbol, locale, 18);
  }

  #requestQuote(): void {
    if (!this.config) return;
    const { form } = this.#model;
    const { value } = this.#amountCheck();
    const request: QuoteRequest | undefined = value
      ? {
          flow: this.mode,
          amount: value,
          symbol: form.symbol,
          fiat: form.fiat,
          ...(form.chain ? { chain: form.chain } : {}),
          ...(this.mode === 'onramp' && form.method ? { method: form.method } : {}),
        }
      : undefined;
    this.#quotes.update(request);
  }

  #setForm(patch: Partial<Form>): void {
    this.#model.set({ form: { ...this.#model.form, ...patch } });
  }

  /** The user picked a view (a tab, or the arrow keys on the tabs): shown, and reported with `mode-changed`. */
  #selectView(view: Flow | 'history'): void {
    const m = this.#model;
    const before = m.showHistory ? 'history' : this.mode;
    if (view === 'history') {
      if (!m.showHistory) this.#withSteps((later) => void later.history.refresh());
      m.set({ showHistory: true });
    } else {
      m.set({ showHistory: false });
      if (this.mode !== view) {
        this.mode = view;
        m.set({ amountTouched: false, ...(m.steps[view] === 'amount' ? { form: { ...m.form, amount: this.#prefilledAmount() } } : {}) });
      }
    }
    if (view !== before) this.dispatchEvent(new ModeChangedEvent({ view, mode: this.mode }));
  }

  #tabs(): (Flow | 'history')[] {
    const tabs: (Flow | 'history')[] = [...this.#enabledFlows()];
    if (this.#historyEnabled()) tabs.push('history');
    return tabs;
  }

  #handleTabKey(event: KeyboardEvent): void {
    const tabs = this.#tabs();
    const current = tabs.indexOf(this.#model.showHistory ? 'history' : this.mode);
    const next = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.#selectView(tabs[(next + tabs.length) % tabs.length]!);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus());
  }

  // ── render ──────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    const state = this.#loader.state;
    const locale = resolveLocale(this, this.locale);
    const tabbed = this.#tabs().length > 1;
    return html`<div class="card" part="base" lang=${locale}>
      ${this.#renderHeader()}
      <div
        id="panel"
        role=${tabbed ? 'tabpanel' : nothing}
        aria-labelledby=${tabbed ? `tab-${this.#model.showHistory ? 'history' : this.mode}` : nothing}
        @keydown=${this.#handleKey}
      >
        ${
          state.status === 'ready'
            ? this.#renderFlow(state.config, locale)
            : state.status === 'error'
              ? errorState(this.#errorMessage(state.error), this.#t, state.error.code === 'config_missing' ? undefined : () => void this.reload())
              : loadingState(this.#t)
        }
      </div>
      ${this.#extras?.poweredBy(this.#t)}
    </div>`;
  }

  /** The step indicator over a flow (once the chrome is loaded); not over the Activity, a KYC gate or a registration. */
  #renderProgress(config: RampConfig): TemplateResult | typeof nothing | undefined {
    const m = this.#model;
    return this.#extras?.progress(this.mode, this.#step, this.#t, !m.showHistory && !m.kycBlock && config.kyc.status === 'valid');
  }

  #renderHeader(): TemplateResult {
    const t = this.#t;
    const tabs = this.#tabs();
    const history = this.#model.showHistory;
    const selected = history ? 'history' : this.mode;
    return html`<header part="header">
      <h2>${t(history ? 'history.title' : this.mode === 'onramp' ? 'title.onramp' : 'title.offramp')}</h2>
      ${
        tabs.length < 2
          ? nothing
          : html`<div role="tablist" part="tabs" aria-label=${t(tabs.includes('history') ? 'tabs.labelAll' : 'tabs.label')} @keydown=${this.#handleTabKey}>
              ${tabs.map(
                (tab) =>
                  html`<button
                    type="button"
                    role="tab"
                    id="tab-${tab}"
                    aria-selected=${selected === tab ? 'true' : 'false'}
                    aria-controls="panel"
                    tabindex=${selected === tab ? 0 : -1}
                    @click=${() => this.#selectView(tab)}
                  >
                    ${t(`tabs.${tab}`)}
                  </button>`,
              )}
            </div>`
      }
      ${this.closable ? html`<button type="button" class="close" aria-label=${t('close')} @click=${this.#handleClose}><span aria-hidden="true">×</span></button>` : nothing}
    </header>`;
  }

  #errorMessage(error: RampError): string {
    const params: Record<string, string> = { ...error.details };
    // the API's minimum (min_purchase, a purchase's) is in the purchase's fiat; a limit of the endpoint's names its unit
    if (error.details.minimum && !error.details.unit) params.minimum = this.#formatAmount(error.details.minimum);
    return this.#t(`error.${error.code}`, params) || error.message;
  }

  #renderFlow(config: RampConfig, locale: string): TemplateResult {
    return html`${this.#renderProgress(config)}${this.#renderView(config, locale)}`;
  }

  #renderView(config: RampConfig, locale: string): TemplateResult {
    const m = this.#model;
    if (!this.#offered(config).length) return errorState(this.#t('error.no_assets'), this.#t);
    const later = m.showHistory || this.#step !== 'amount' || Boolean(m.kycBlock) || config.kyc.status !== 'valid';
    if (later) {
      if (!this.#later) {
        if (this.#stepsError) {
          return errorState(this.#errorMessage(this.#stepsError), this.#t, () => {
            this.#stepsError = undefined;
            this.requestUpdate();
            this.#withSteps(() => {});
          });
        }
        this.#withSteps(() => {});
        return loadingState(this.#t);
      }
      const view = this.#later.render(config, locale);
      if (view) return view;
    }
    return this.#renderAmount(config, locale);
  }

  /** The token pill (its mark badged with the network's) and the network pill. */
  #renderAssetPicks(config: RampConfig): TemplateResult {
    const { form } = this.#model;
    const asset = this.#asset;
    const offered = this.#offered(config);
    const marks = this.#extras;
    return html`${pickField({
      id: 'token',
      label: this.#t('field.token'),
      value: form.symbol,
      options: offered.map((a) => ({ value: a.symbol, label: a.symbol })),
      mark: marks?.mark('token', form.symbol, form.chain ? marks.mark('network', form.chain) : undefined),
      onChange: (symbol) => {
        const next = offered.find((a) => a.symbol === symbol);
        this.#setForm({ symbol, chain: next?.chains.includes(form.chain) ? form.chain : (next?.chains[0] ?? '') });
      },
    })}
    ${
      asset?.chains.length
        ? pickField({
            id: 'network',
            label: this.#t('field.network'),
            value: form.chain,
            options: asset.chains.map((c) => ({ value: c, label: chainLabel(c) })),
            mark: marks?.mark('network', form.chain),
            onChange: (chain) => this.#setForm({ chain }),
          })
        : nothing
    }`;
  }

  /**
   * The amount step as a pair: what the user gives (the amount they type, with its currency or token) over what they
   * get (the quote's estimate, with the other; `…` while it is asked for, `—` before an amount), then the breakdown, how long the quote holds, and Continue.
   */
  #renderAmount(config: RampConfig, locale: string): TemplateResult {
    const t = this.#t;
    const m = this.#model;
    const { form } = m;
    const buying = this.mode === 'onramp';
    const amount = this.#amountCheck();
    const hint = this.#amountHint(locale);
    const quote = this.#quotes.state;
    const fiatPick = pickField({
      id: 'fiat',
      label: t('field.currency'),
      value: form.fiat,
      options: config.fiats.map((f) => ({ value: f, label: f })),
      onChange: (fiat) => this.#setForm({ fiat }),
    });
    const assetPicks = this.#renderAssetPicks(config);
    const describedBy = [amount.error ? 'amount-error' : '', hint ? 'amount-hint' : ''].filter(Boolean).join(' ');
    const submit = (e: Event) => {
      e.preventDefault();
      m.set({ amountTouched: true, notice: '' });
      m.next(this.mode);
    };
    return html`<form class="step" novalidate @submit=${submit}>
      ${m.notice ? html`<p class="notice" role="alert">${m.notice}</p>` : nothing}
      <div class="side">
        <div class="field">
          <label for="amount">${t(buying ? 'field.amountFiat' : 'field.amountToken')}</label>
          <input
            id="amount"
            class="big"
            part="amount-input"
            .value=${form.amount}
            inputmode="decimal"
            autocomplete="off"
            spellcheck="false"
            placeholder="0"
            aria-invalid=${amount.error ? 'true' : 'false'}
            aria-describedby=${describedBy || nothing}
            @input=${(e: Event) => this.#setForm({ amount: (e.target as HTMLInputElement).value })}
          />
        </div>
        ${buying ? fiatPick : assetPicks}
      </div>
      ${hint ? html`<p class="hint" id="amount-hint">${hint}</p>` : nothing}
      ${amount.error ? html`<p class="field-error" id="amount-error">${amount.error}</p>` : nothing}
      <div class="side">
        <div class="field">
          <label for="estimate">${t(buying ? 'quote.youGet' : 'quote.youReceive')}</label>
          <output
            id="estimate"
            class="big"
            data-testid="quote-amount"
            title=${quote.status === 'ready' && buying ? `${quote.quote.tokenAmount} ${quote.quote.symbol}` : nothing}
            >${quote.status === 'ready' ? estimateOf(quote.quote, locale) : quote.status === 'loading' ? '…' : '—'}</output
          >
        </div>
        ${buying ? assetPicks : fiatPick}
      </div>
      ${
        buying && config.paymentMethods.length
          ? pickField({
              id: 'method',
              label: t('field.method'),
              value: form.method,
              options: config.paymentMethods.map((code) => ({ value: code, label: t(`method.${code}`) || code })),
              onChange: (method) => this.#setForm({ method }),
            })
          : nothing
      }
      ${quote.status === 'ready' ? this.#breakdown?.breakdown(quote.quote, t, locale) : nothing} ${quoteNote(quote, this.#quotes.secondsLeft, t)}
      <button type="submit" class="primary" part="primary-button">${t('continue')}</button>
    </form>`;
  }

  /**
   * Under the amount: the merchant's limits, known before the user types ("From €10.00 to €10,000.00"), and the token's
   * price ("1 USDC ≈ €0.92"). What the amount is worth is the quote's to say, with its fee: one figure, not two.
   */
  #amountHint(locale: string): string | undefined {
    const t = this.#t;
    const range = this.#range();
    const limits =
      range?.min || range?.max
        ? t(range.min && range.max ? 'amount.range' : range.min ? 'amount.rangeMin' : 'amount.rangeMax', {
            min: range.min ? this.#formatAmount(range.min) : '',
            max: range.max ? this.#formatAmount(range.max) : '',
          })
        : '';
    return [limits, this.#price?.line(t, locale)].filter(Boolean).join(' · ') || undefined;
  }
}

function csv(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}
