/**
 * The session protocol between `<cryptopocket-ramp>` and the merchant's session endpoint.
 * Shared by the browser code and `src/server/`: types only, no runtime code.
 * Money is always a decimal string in major units ("150.50"), never a JSON number.
 */

/** Regions the CryptopocketAPI serves. The backend decides it; the browser never sends one. */
export type Region = 'EU' | 'LATAM';

/** The two flows. */
export type Flow = 'onramp' | 'offramp';

/** One status lifecycle for both flows (the upstream value is kept in `raw`). */
export type RampStatus = 'created' | 'payment_pending' | 'funds_received' | 'processing' | 'completed' | 'failed' | 'expired';

/** Normalised KYC state: `valid` may trade, `pending` is in progress, `failed` was rejected. */
export type KycStatus = 'valid' | 'pending' | 'failed';

export interface KycState {
  status: KycStatus;
  /** The upstream `kyc_status` value. */
  raw: string;
  /** Where the user verifies their identity, when the backend knows it. */
  url?: string;
}

export interface Asset {
  symbol: string;
  name?: string;
  /** Base-unit decimals of the token. */
  decimals: number;
  /** Networks the token can be bought or sold on (empty for LATAM, where no chain is sent). */
  chains: string[];
}

/** `GET {session-url}/config` */
export interface RampConfig {
  region: Region;
  /** Fiat currencies the user can pay with or be paid in; the first is the default. */
  fiats: string[];
  assets: Asset[];
  /** Payment method codes, passed through unchanged to the API (`card`, `psd2`, `KHIPU`…). */
  paymentMethods: string[];
  kyc: KycState;
  /** Payout account holder name, where the backend knows it. */
  accountHolder?: string;
  /** Whether `GET events` (server-sent events) is available. */
  stream: boolean;
  /** `none`: the user has no Cryptopocket account yet and may create one (`POST register`); absent means registered. */
  account?: 'none' | 'registered';
  /** For `account: "none"`: what the merchant knows of the user, which fields the user may change, the provider's terms. */
  registration?: { name?: string; email?: string; editable: ('name' | 'email')[]; termsUrl?: string };
  /** The merchant's amount limits, shown before the user types and enforced by the session endpoint. */
  limits?: AmountLimits;
  /** Where the user gets help (failed verification, errors): an `https:` page and/or an email address. */
  support?: Support;
  /** Terms the user accepts before each purchase or sale (the review step): a create without `acceptedTerms` is refused. */
  terms?: Terms;
}

/** The terms of service and privacy policy a user accepts on the review step (`https:` pages). */
export interface Terms {
  url: string;
  privacyUrl?: string;
}

/** A minimum and/or maximum, as decimal strings. */
export interface AmountRange {
  min?: string;
  max?: string;
}

/** Amount limits per flow: a purchase's fiat per currency (`{ EUR: { min: "10", max: "10000" } }`), a sale's tokens per symbol. */
export interface AmountLimits {
  onramp?: Record<string, AmountRange>;
  offramp?: Record<string, AmountRange>;
}

export interface Support {
  url?: string;
  email?: string;
}

/** `GET {session-url}/price?symbol=&fiat=` */
export interface PriceQuote {
  symbol: string;
  fiat: string;
  /** Price of one token in fiat, decimal string. */
  price: string;
}

/** `GET {session-url}/onramp/quote` and `GET {session-url}/offramp/quote` */
export interface Quote {
  flow: Flow;
  symbol: string;
  chain?: string;
  fiat: string;
  /** Fiat paid (onramp) or received (offramp), decimal string. */
  fiatAmount: string;
  /** Tokens received (onramp) or sold (offramp), decimal string. */
  tokenAmount: string;
  /** Fiat per token, decimal string, when given. */
  rate?: string;
  /** The processing fee in fiat, decimal string, when given. */
  fee?: string;
  /** The network (gas) fee in fiat, decimal string, when the API names it. */
  networkFee?: string;
  /** Seconds the widget shows this quote before it asks for a new one (rates move; the API locks none). */
  validFor?: number;
  /** `price` when estimated from the token price because no quote was available. */
  source: 'quote' | 'price';
}

export interface BankTransferDetails {
  beneficiary: string;
  iban: string;
  bic: string;
  /** The reference the payer must quote; a string so leading zeros survive. */
  reference: string;
}

/** One operation, either flow, as the session endpoint returns it. */
/** The operation a widget shows (its `operation` property): the id at once, the rest as the status reports it. */
export type OpenOperation = Readonly<Pick<Operation, 'id' | 'flow'> & Partial<Omit<Operation, 'id' | 'flow'>>>;

export interface Operation {
  id: string;
  flow: Flow;
  status: RampStatus;
  /** The upstream status value. */
  raw: string;
  symbol?: string;
  chain?: string;
  fiat?: string;
  fiatAmount?: string;
  tokenAmount?: string;
  /** Offramp: where the user sends the tokens. */
  wallet?: string;
  /** Onramp: the transaction that delivered the tokens. */
  txid?: string;
  /** Offramp payout IBAN, masked (`••••1234`). */
  ibanMasked?: string;
  /** Onramp: the payment method, and how to pay while the payment is open. */
  method?: string;
  paymentUrl?: string;
  bankTransfer?: BankTransferDetails;
  createdAt?: string;
}

/** `POST {session-url}/onramp/payments` body */
export interface CreatePaymentRequest {
  fiatAmount: string;
  fiat: string;
  symbol: string;
  chain?: string;
  wallet: string;
  method: string;
  callbackUrl?: string;
  /** Required (`true`) when the configuration has `terms`: the user ticked the box on the review step. */
  acceptedTerms?: boolean;
}

/** `POST {session-url}/onramp/payments` response */
export interface CreatedPayment {
  id: string;
  method: string;
  paymentUrl?: string;
  bankTransfer?: BankTransferDetails;
}

/** `POST {session-url}/offramp/operations` body */
export interface CreateRampoffRequest {
  amount: string;
  symbol: string;
  chain?: string;
  fiat: string;
  iban?: string;
  bankName?: string;
  /** Required (`true`) when the configuration has `terms`. */
  acceptedTerms?: boolean;
}

/** `POST {session-url}/offramp/operations` response */
export interface CreatedRampoff {
  id: string;
  wallet: string;
}

/** `GET {session-url}/onramp/payments`, `GET {session-url}/offramp/operations` */
export interface OperationList {
  items: Operation[];
  /** Opaque cursor for the next page, absent on the last page. */
  next?: string;
}

/** A `status` event on `GET {session-url}/events?flow=&id=` */
export interface StatusEvent {
  id: string;
  flow: Flow;
  status: RampStatus;
  raw: string;
  operation?: Operation;
}

/** The one error shape: `{ "error": { "code", "message" } }` with a fitting HTTP status. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    /** Extra data some codes carry: `min_purchase` → `{ minimum }`, `require_kyc` → `{ url }`. */
    details?: Record<string, string>;
  };
}

/** `POST {session-url}/register` body: only the fields the merchant lets the user change (see `registration.editable`). */
export interface RegisterRequest {
  name?: string;
  email?: string;
}

/** `POST {session-url}/register` answer: the user's verification link (the account id stays with the merchant). */
export interface Registered {
  kycUrl?: string;
}
