/**
 * Framework-neutral typings for `<cryptopocket-ramp>` in JSX and templates: its attributes as props,
 * and its events as `on` + event name, the way React 19 and Preact attach listeners to custom elements.
 */
import type { RampEventMap } from './events.js';

/** An event or attribute name as a property name's tail: `rampoff-created` → `RampoffCreated` (Vue's and React's `on…`). */
export type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;

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

/** Each event as `on` + its name (`onrampoff-created`), typed with its event class. */
export type CryptopocketRampEventProps = { [K in keyof RampEventMap as `on${K}`]?: (event: RampEventMap[K]) => void };

export type CryptopocketRampProps = CryptopocketRampAttributes & CryptopocketRampEventProps;
