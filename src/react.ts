/**
 * `cryptopocket-ramp/react`: the element as a React component, and its typings for `<cryptopocket-ramp>` in TSX.
 *
 * `<CryptopocketRamp sessionUrl="/api/ramp-session" token={token} onRampoffCreated={(e) => …} ref={ref} />` is made
 * with @lit/react: props are set as the element's properties (`token` and `strings` too, never rendered into server
 * HTML), events are typed callback props attached in an effect, so server rendering and hydration work, and the ref
 * is the element (its `reload()`, `track()`, `config`…). A `ramp-ready` that fired before hydration attached its
 * listener is replayed from the element's `config`, once.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CryptopocketRamp as RampElement } from './cryptopocket-ramp.js';
import {
  AccountCreatedEvent,
  CloseRequestedEvent,
  DepositRequestedEvent,
  KycCompletedEvent,
  KycRequiredEvent,
  ModeChangedEvent,
  QuoteUpdatedEvent,
  RampCompletedEvent,
  RampErrorEvent,
  RampReadyEvent,
  RampoffCreatedEvent,
  RamponCreatedEvent,
  StatusChangedEvent,
  type RampEventMap,
} from './events.js';
import type { CryptopocketRampProps, Pascal } from './jsx.js';

if (typeof customElements !== 'undefined' && !customElements.get('cryptopocket-ramp')) customElements.define('cryptopocket-ramp', RampElement);

const Base = createComponent({
  tagName: 'cryptopocket-ramp',
  elementClass: RampElement,
  react: React,
  events: {
    onRampReady: RampReadyEvent.type as EventName<RampReadyEvent>,
    onRampError: RampErrorEvent.type as EventName<RampErrorEvent>,
    onQuoteUpdated: QuoteUpdatedEvent.type as EventName<QuoteUpdatedEvent>,
    onRampoffCreated: RampoffCreatedEvent.type as EventName<RampoffCreatedEvent>,
    onRamponCreated: RamponCreatedEvent.type as EventName<RamponCreatedEvent>,
    onStatusChanged: StatusChangedEvent.type as EventName<StatusChangedEvent>,
    onRampCompleted: RampCompletedEvent.type as EventName<RampCompletedEvent>,
    onKycRequired: KycRequiredEvent.type as EventName<KycRequiredEvent>,
    onDepositRequested: DepositRequestedEvent.type as EventName<DepositRequestedEvent>,
    onCloseRequested: CloseRequestedEvent.type as EventName<CloseRequestedEvent>,
    onModeChanged: ModeChangedEvent.type as EventName<ModeChangedEvent>,
    onAccountCreated: AccountCreatedEvent.type as EventName<AccountCreatedEvent>,
    onKycCompleted: KycCompletedEvent.type as EventName<KycCompletedEvent>,
    // every event of the element, each under its own name and type: a new event left out here does not compile
  } satisfies { [K in keyof RampEventMap as `on${Pascal<K>}`]: EventName<RampEventMap[K]> },
});

/** The component's props: the element's properties (camelCase), its events as `on…` callbacks, and React's own. */
export type CryptopocketRampComponentProps = React.ComponentProps<typeof Base>;

const useIsomorphicLayoutEffect = typeof window === 'undefined' ? React.useEffect : React.useLayoutEffect;

/** `<cryptopocket-ramp>` for React (see the module's comment). */
export const CryptopocketRamp = React.forwardRef<RampElement, CryptopocketRampComponentProps>(function CryptopocketRamp(props, ref) {
  const element = React.useRef<RampElement | null>(null);
  const replayed = React.useRef(false);
  React.useImperativeHandle(ref, () => element.current!, []);
  const onRampReady = React.useRef(props.onRampReady);
  onRampReady.current = props.onRampReady;
  // runs after the inner component attached the listeners: a config already there means its ramp-ready was missed
  useIsomorphicLayoutEffect(() => {
    const config = element.current?.config;
    if (config && !replayed.current) {
      replayed.current = true;
      onRampReady.current?.(new RampReadyEvent(config));
    }
  }, []);
  return React.createElement(Base, { ...props, ref: element });
});

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- JSX's element types live in this namespace; augmenting it needs one
  namespace JSX {
    interface IntrinsicElements {
      'cryptopocket-ramp': CryptopocketRampProps &
        Omit<React.HTMLAttributes<HTMLElement>, keyof CryptopocketRampProps> & { ref?: React.Ref<RampElement>; class?: string };
    }
  }
}

export type { CryptopocketRampProps };
