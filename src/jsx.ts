/**
 * Framework-neutral typings for `<cryptopocket-ramp>` in JSX and templates: its attributes as props,
 * and its events as `on` + event name, the way React 19 and Preact attach listeners to custom elements.
 */
import type {
  CloseRequestedEvent,
  DepositRequestedEvent,
  KycRequiredEvent,
  QuoteUpdatedEvent,
  RampCompletedEvent,
  RampErrorEvent,
  RampReadyEvent,
  RampoffCreatedEvent,
  RamponCreatedEvent,
  StatusChangedEvent,
} from './events.js';

export interface CryptopocketRampAttributes {
  'session-url': string;
  mode?: 'onramp' | 'offramp';
  'lock-mode'?: boolean;
  views?: string;
  'hide-history'?: boolean;
  closable?: boolean;
  theme?: 'light' | 'dark' | 'auto';
  locale?: string;
  credentials?: 'same-origin' | 'include';
  amount?: string;
  'fiat-amount'?: string;
  symbol?: string;
  chain?: string;
  fiat?: string;
  'payment-method'?: string;
  wallet?: string;
  redirect?: boolean;
  'callback-url'?: string;
  'operation-id'?: string;
  assets?: string;
  chains?: string;
}

export interface CryptopocketRampEventProps {
  'onramp-ready'?: (event: RampReadyEvent) => void;
  'onramp-error'?: (event: RampErrorEvent) => void;
  'onquote-updated'?: (event: QuoteUpdatedEvent) => void;
  'onrampoff-created'?: (event: RampoffCreatedEvent) => void;
  'onrampon-created'?: (event: RamponCreatedEvent) => void;
  'onstatus-changed'?: (event: StatusChangedEvent) => void;
  'onramp-completed'?: (event: RampCompletedEvent) => void;
  'onkyc-required'?: (event: KycRequiredEvent) => void;
  'ondeposit-requested'?: (event: DepositRequestedEvent) => void;
  'onclose-requested'?: (event: CloseRequestedEvent) => void;
}

export type CryptopocketRampProps = CryptopocketRampAttributes & CryptopocketRampEventProps;
