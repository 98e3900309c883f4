/**
 * `import type {} from 'cryptopocket-ramp/vue'`: types `<cryptopocket-ramp>` in Vue templates (vue-tsc / Volar),
 * attributes as props and each event as its `@event-name` listener. Tell Vue's compiler it is a custom element:
 * `compilerOptions.isCustomElement: (tag) => tag === 'cryptopocket-ramp'`.
 */
import type { DefineComponent } from 'vue';
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
import type { CryptopocketRampAttributes } from './jsx.js';

/** Listeners as Vue types them: `@rampoff-created` is the `onRampoffCreated` prop. */
export interface CryptopocketRampVueListeners {
  onRampReady?: (event: RampReadyEvent) => void;
  onRampError?: (event: RampErrorEvent) => void;
  onQuoteUpdated?: (event: QuoteUpdatedEvent) => void;
  onRampoffCreated?: (event: RampoffCreatedEvent) => void;
  onRamponCreated?: (event: RamponCreatedEvent) => void;
  onStatusChanged?: (event: StatusChangedEvent) => void;
  onRampCompleted?: (event: RampCompletedEvent) => void;
  onKycRequired?: (event: KycRequiredEvent) => void;
  onDepositRequested?: (event: DepositRequestedEvent) => void;
  onCloseRequested?: (event: CloseRequestedEvent) => void;
}

declare module 'vue' {
  interface GlobalComponents {
    'cryptopocket-ramp': DefineComponent<CryptopocketRampAttributes & CryptopocketRampVueListeners>;
  }
}

export {};
