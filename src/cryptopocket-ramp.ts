import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ConfigController } from './controllers/config-controller.js';
import { QuoteController, type QuoteRequest } from './controllers/quote-controller.js';
import { QuoteUpdatedEvent, RampErrorEvent, RampReadyEvent } from './events.js';
import { resolveLocale, translator, type Translate } from './i18n/localize.js';
import type { RampError } from './lib/errors.js';
import { parseAmountInput } from './lib/money.js';
import { SessionClient } from './lib/session-client.js';
import type { Asset, Flow, RampConfig } from './types.js';
import { styles } from './cryptopocket-ramp.styles.js';
import { errorState, loadingState, quotePanel, selectField, textField } from './views/common.js';

/**
 * Buy crypto with fiat and sell crypto for fiat, over the CryptopocketAPI, through the merchant's session endpoint.
 *
 * @summary An embeddable onramp/offramp widget that never holds an API key.
 *
 * @attr session-url - URL of the merchant's session endpoint (required); protocol paths are relative to it.
 * @attr mode - The view shown: `onramp` (buy) or `offramp` (sell). Reflected.
 * @attr lock-mode - Fixes the view to `mode`: the user cannot switch between buying and selling.
 * @attr locale - BCP 47 locale for texts and numbers; defaults to the nearest `lang`, then `en`.
 * @attr credentials - `same-origin` (default) or `include` for a session endpoint on another origin.
 * @attr amount - Pre-filled amount: fiat to pay (onramp) or tokens to sell (offramp).
 * @attr symbol - Pre-selected token, e.g. `USDC`.
 * @attr chain - Pre-selected network, e.g. `polygon`.
 * @attr fiat - Pre-selected fiat currency, e.g. `EUR`.
 * @attr payment-method - Pre-selected onramp payment method, e.g. `card`.
 *
 * @fires ramp-ready - The configuration loaded. Detail: the `RampConfig`.
 * @fires ramp-error - Something went wrong. Detail: `{ code, message, retryable }`.
 * @fires quote-updated - A new quote is shown. Detail: the `Quote`.
 *
 * @csspart base - The card around the widget.
 * @csspart header - The title and the buy/sell tabs.
 * @csspart tabs - The buy/sell tab list.
 * @csspart amount-input - The amount input.
 * @csspart quote - The live quote panel.
 * @csspart primary-button - The main action button of a step.
 * @csspart error - The error message.
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
 */
export class CryptopocketRamp extends LitElement {
  static override styles = styles;

  static override properties = {
    sessionUrl: { type: String, attribute: 'session-url' },
    mode: { type: String, reflect: true },
    lockMode: { type: Boolean, attribute: 'lock-mode' },
    locale: { type: String },
    credentials: { type: String },
    token: { attribute: false },
    amount: { type: String },
    symbol: { type: String },
    chain: { type: String },
    fiat: { type: String },
    paymentMethod: { type: String, attribute: 'payment-method' },
    form: { state: true },
  };

  /** URL of the merchant's session endpoint. */
  declare sessionUrl: string;
  /** The view shown: `onramp` (buy) or `offramp` (sell). */
  declare mode: Flow;
  /** When true, the user cannot switch between buying and selling. */
  declare lockMode: boolean;
  /** BCP 47 locale; defaults to the nearest `lang`, then `en`. */
  declare locale: string;
  /** Fetch credentials mode for the session endpoint: `same-origin` or `include`. */
  declare credentials: RequestCredentials;
  /** Optional bearer token sent to the session endpoint (property only, never an attribute). */
  declare token: string | undefined;
  /** Pre-filled amount. */
  declare amount: string;
  /** Pre-selected token. */
  declare symbol: string;
  /** Pre-selected network. */
  declare chain: string;
  /** Pre-selected fiat currency. */
  declare fiat: string;
  /** Pre-selected onramp payment method. */
  declare paymentMethod: string;

  /** The user's current choices. @internal */
  declare private form: { symbol: string; chain: string; fiat: string; method: string; amount: string };

  private client?: SessionClient;
  private readonly config = new ConfigController(this, () => this.client, {
    ready: (config) => this.handleConfig(config),
    failed: (error) => this.emitError(error),
  });
  private readonly quote = new QuoteController(this, () => this.client, {
    quoted: (quote) => this.dispatchEvent(new QuoteUpdatedEvent(quote)),
    failed: (error) => this.emitError(error),
  });
  private t: Translate = translator();

  constructor() {
    super();
    this.sessionUrl = '';
    this.mode = 'onramp';
    this.lockMode = false;
    this.locale = '';
    this.credentials = 'same-origin';
    this.token = undefined;
    this.amount = '';
    this.symbol = '';
    this.chain = '';
    this.fiat = '';
    this.paymentMethod = '';
    this.form = { symbol: '', chain: '', fiat: '', method: '', amount: '' };
  }

  override connectedCallback(): void {
    this.client = this.makeClient();
    super.connectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('mode') && this.mode !== 'onramp' && this.mode !== 'offramp') this.mode = 'onramp';
    const connectionChanged = (['sessionUrl', 'credentials', 'token'] as const).some((key) => changed.has(key) && changed.get(key) !== undefined);
    if (connectionChanged) {
      this.client = this.makeClient();
      void this.config.load();
    }
    if (changed.has('amount') && changed.get('amount') !== undefined) this.form = { ...this.form, amount: this.amount };
    this.requestQuote();
  }

  /** Loads the configuration again (after an error, or when the user's session changed). */
  reload(): Promise<void> {
    this.client = this.makeClient();
    return this.config.load();
  }

  private makeClient(): SessionClient | undefined {
    if (!this.sessionUrl) return undefined;
    try {
      return new SessionClient({ url: this.sessionUrl, credentials: this.credentials === 'include' ? 'include' : 'same-origin', ...(this.token ? { token: this.token } : {}) });
    } catch {
      return undefined;
    }
  }

  private handleConfig(config: RampConfig): void {
    const asset = config.assets.find((a) => a.symbol === this.symbol.toUpperCase()) ?? config.assets[0]!;
    const chain = asset.chains.includes(this.chain) ? this.chain : (asset.chains[0] ?? '');
    const fiat = config.fiats.includes(this.fiat.toUpperCase()) ? this.fiat.toUpperCase() : config.fiats[0]!;
    const method = config.paymentMethods.includes(this.paymentMethod) ? this.paymentMethod : (config.paymentMethods[0] ?? '');
    this.form = { symbol: asset.symbol, chain, fiat, method, amount: this.amount };
    this.dispatchEvent(new RampReadyEvent(config));
  }

  private emitError(error: RampError): void {
    this.dispatchEvent(new RampErrorEvent({ code: error.code, message: error.message, retryable: error.retryable }));
  }

  private handleTabKey(event: KeyboardEvent): void {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    this.selectMode(this.mode === 'onramp' ? 'offramp' : 'onramp');
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus());
  }

  private selectMode(mode: Flow): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.form = { ...this.form, amount: '' };
  }

  private setForm(patch: Partial<CryptopocketRamp['form']>): void {
    this.form = { ...this.form, ...patch };
  }

  private get asset(): Asset | undefined {
    return this.config.state.status === 'ready' ? this.config.state.config.assets.find((a) => a.symbol === this.form.symbol) : undefined;
  }

  /** The amount as a decimal string, or an error message key. */
  private amountCheck(): { value?: string; error?: string } {
    const text = this.form.amount.trim();
    if (!text) return {};
    const value = parseAmountInput(text, resolveLocale(this, this.locale));
    if (!value || value === '0') return { error: this.t('amount.invalid') };
    const decimals = this.mode === 'onramp' ? 2 : (this.asset?.decimals ?? 18);
    if ((value.split('.')[1]?.length ?? 0) > decimals) return { error: this.t('amount.decimals', { decimals }) };
    return { value };
  }

  private requestQuote(): void {
    if (this.config.state.status !== 'ready') return;
    const { value } = this.amountCheck();
    const request: QuoteRequest | undefined = value
      ? {
          flow: this.mode,
          amount: value,
          symbol: this.form.symbol,
          fiat: this.form.fiat,
          ...(this.form.chain ? { chain: this.form.chain } : {}),
          ...(this.mode === 'onramp' && this.form.method ? { method: this.form.method } : {}),
        }
      : undefined;
    this.quote.update(request);
  }

  override render(): TemplateResult {
    const state = this.config.state;
    const locale = resolveLocale(this, this.locale);
    return html`<div class="card" part="base" lang=${locale}>
      ${this.renderHeader()}
      <div id="panel" role=${this.lockMode ? nothing : 'tabpanel'} aria-labelledby=${this.lockMode ? nothing : `tab-${this.mode}`}>
        ${state.status === 'ready'
          ? this.mode === 'onramp'
            ? this.renderOnramp(state.config, locale)
            : this.renderOfframp(state.config, locale)
          : state.status === 'error'
            ? errorState(this.errorMessage(state.error), this.t, state.error.code === 'config_missing' ? undefined : () => void this.reload())
            : loadingState(this.t)}
      </div>
    </div>`;
  }

  private renderHeader(): TemplateResult {
    const t = this.t;
    return html`<header part="header">
      <h2>${t(this.mode === 'onramp' ? 'title.onramp' : 'title.offramp')}</h2>
      ${this.lockMode
        ? nothing
        : html`<div role="tablist" part="tabs" aria-label=${t('tabs.label')} @keydown=${this.handleTabKey}>
            ${(['onramp', 'offramp'] as const).map(
              (mode) =>
                html`<button
                  type="button"
                  role="tab"
                  id="tab-${mode}"
                  aria-selected=${this.mode === mode ? 'true' : 'false'}
                  aria-controls="panel"
                  tabindex=${this.mode === mode ? 0 : -1}
                  @click=${() => this.selectMode(mode)}
                >
                  ${t(mode === 'onramp' ? 'tabs.onramp' : 'tabs.offramp')}
                </button>`,
            )}
          </div>`}
    </header>`;
  }

  private errorMessage(error: RampError): string {
    const known = this.t(`error.${error.code}`);
    return known || error.message;
  }

  private renderAssetFields(config: RampConfig): TemplateResult {
    const asset = this.asset;
    return html`<div class="row">
      ${selectField({
        id: 'token',
        label: this.t('field.token'),
        value: this.form.symbol,
        options: config.assets.map((a) => ({ value: a.symbol, label: a.name ? `${a.symbol} · ${a.name}` : a.symbol })),
        onChange: (symbol) => {
          const next = config.assets.find((a) => a.symbol === symbol);
          this.setForm({ symbol, chain: next?.chains.includes(this.form.chain) ? this.form.chain : (next?.chains[0] ?? '') });
        },
      })}
      ${asset?.chains.length
        ? selectField({
            id: 'network',
            label: this.t('field.network'),
            value: this.form.chain,
            options: asset.chains.map((c) => ({ value: c, label: chainLabel(c) })),
            onChange: (chain) => this.setForm({ chain }),
          })
        : nothing}
    </div>`;
  }

  private renderOnramp(config: RampConfig, locale: string): TemplateResult {
    const t = this.t;
    const amount = this.amountCheck();
    return html`<div class="step">
      <div class="row">
        ${textField({
          id: 'amount',
          label: t('field.amountFiat'),
          value: this.form.amount,
          inputmode: 'decimal',
          part: 'amount-input',
          suffix: this.form.fiat,
          error: amount.error,
          onInput: (value) => this.setForm({ amount: value }),
        })}
        ${config.fiats.length > 1
          ? selectField({ id: 'fiat', label: t('field.currency'), value: this.form.fiat, options: config.fiats.map((f) => ({ value: f, label: f })), onChange: (fiat) => this.setForm({ fiat }) })
          : nothing}
      </div>
      ${this.renderAssetFields(config)}
      ${config.paymentMethods.length
        ? selectField({
            id: 'method',
            label: t('field.method'),
            value: this.form.method,
            options: config.paymentMethods.map((m) => ({ value: m, label: t(`method.${m}`) || m })),
            onChange: (method) => this.setForm({ method }),
          })
        : nothing}
      ${quotePanel(this.quote.state, t, locale)}
    </div>`;
  }

  private renderOfframp(config: RampConfig, locale: string): TemplateResult {
    const t = this.t;
    const amount = this.amountCheck();
    return html`<div class="step">
      ${this.renderAssetFields(config)}
      <div class="row">
        ${textField({
          id: 'amount',
          label: t('field.amountToken'),
          value: this.form.amount,
          inputmode: 'decimal',
          part: 'amount-input',
          suffix: this.form.symbol,
          error: amount.error,
          onInput: (value) => this.setForm({ amount: value }),
        })}
        ${selectField({ id: 'fiat', label: t('field.payoutCurrency'), value: this.form.fiat, options: config.fiats.map((f) => ({ value: f, label: f })), onChange: (fiat) => this.setForm({ fiat }) })}
      </div>
      ${quotePanel(this.quote.state, t, locale)}
    </div>`;
  }
}

const CHAIN_NAMES: Record<string, string> = { polygon: 'Polygon', ethereum: 'Ethereum', bsc: 'BNB Smart Chain', arbitrum: 'Arbitrum', optimism: 'Optimism', base: 'Base', tron: 'Tron' };

export function chainLabel(chain: string): string {
  return CHAIN_NAMES[chain.toLowerCase()] ?? chain;
}
