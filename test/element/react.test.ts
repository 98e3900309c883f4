/**
 * The React component (`cryptopocket-ramp/react`): props as properties, typed event callbacks, the ref as the element;
 * and server-rendered HTML hydrated after the element already loaded its configuration (Next.js's order), where the
 * `ramp-ready` the page missed reaches React state anyway.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { createElement, createRef, useState } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server.browser';
import { CryptopocketRamp } from '../../src/react.js';
import type { CryptopocketRamp as RampElement } from '../../src/cryptopocket-ramp.js';
import type { RampConfig } from '../../src/types.js';
import { button, queryByLabel, sellToReview, simAdvance } from '../support/dom.js';

describe('React component', () => {
  afterEach(() => document.querySelectorAll('[data-react]').forEach((n) => n.remove()));

  it('sets props as properties (the bearer token too), calls typed event callbacks once, and its ref is the element', async () => {
    const container = document.createElement('div');
    container.setAttribute('data-react', '');
    document.body.append(container);
    const ready: RampConfig[] = [];
    const ref = createRef<RampElement>();
    const root = createRoot(container);
    root.render(
      createElement(CryptopocketRamp, { ref, sessionUrl: '/session/bearer', token: 'good-token', mode: 'offramp', onRampReady: (e) => ready.push(e.detail) }),
    );
    await waitUntil(() => ready.length > 0, 'no ramp-ready in React', { timeout: 4000 });
    expect(ready).to.have.length(1);
    expect(ready[0]!.region).to.equal('EU');
    expect(ref.current!.tagName).to.equal('CRYPTOPOCKET-RAMP');
    expect(ref.current!.config).to.deep.equal(ready[0]);
    expect(ref.current!.getAttribute('token'), 'the token is a property, never an attribute').to.equal(null);
    await waitUntil(() => queryByLabel(ref.current!, 'You sell'), 'the sell view');
    root.unmount();
  });

  it('hydrates server-rendered HTML after the element loaded: the missed ramp-ready reaches React state once, and a whole sale reaches it too', async () => {
    type Seen = { region: string; mode: string; created: string; status: string; done: string };
    let state: Seen = { region: '', mode: 'onramp', created: '', status: '', done: '' };
    function Checkout() {
      const [seen, setSeen] = useState<Seen>(state);
      const set = (change: Partial<Seen>) => setSeen((previous) => (state = { ...previous, ...change }));
      return createElement(
        'div',
        null,
        createElement('p', { id: 'seen' }, JSON.stringify(seen)),
        createElement(CryptopocketRamp, {
          sessionUrl: '/session/eu-seller',
          mode: seen.mode as 'onramp' | 'offramp',
          onRampReady: (e) => set({ region: e.detail.region }),
          onModeChanged: (e) => set({ mode: e.detail.mode }),
          onRampoffCreated: (e) => set({ created: e.detail.id }),
          onStatusChanged: (e) => set({ status: e.detail.status }),
          onRampCompleted: (e) => set({ done: `${e.detail.fiatAmount} ${e.detail.fiatCurrency}` }),
        }),
      );
    }
    const html = renderToString(createElement(Checkout));
    expect(html).not.to.include('token');
    const container = document.createElement('div');
    container.setAttribute('data-react', '');
    container.innerHTML = html;
    document.body.append(container);
    const element = container.querySelector('cryptopocket-ramp') as RampElement;
    // before hydration, as in a server-rendered page: the element is upgraded and (given its URL) loads its config
    element.sessionUrl = '/session/eu-seller';
    await waitUntil(() => element.config, 'the element did not load before hydration', { timeout: 4000 });
    let calls = 0;
    const counted = () => calls++;
    element.addEventListener('ramp-ready', counted);
    hydrateRoot(container, createElement(Checkout));
    await waitUntil(() => state.region === 'EU', 'ramp-ready never reached React state', { timeout: 4000 });
    expect(calls, 'replayed to React only, not fired again on the page').to.equal(0);

    // the user switches to Sell inside the widget: React's mode follows, and stays (no snap back on re-render)
    button(element, 'Sell').click();
    await waitUntil(() => state.mode === 'offramp', 'mode-changed never reached React state');
    await waitUntil(() => queryByLabel(element, 'You sell'), 'the sell view');
    await sellToReview(element, { amount: '25', iban: 'ES91 2100 0418 4502 0005 1332' });
    button(element, 'Confirm and sell').click();
    await waitUntil(() => state.created, 'rampoff-created never reached React state', { timeout: 6000 });
    expect(element.mode).to.equal('offramp');
    expect(element.operation?.id).to.equal(state.created);
    await simAdvance(state.created);
    await simAdvance(state.created);
    await waitUntil(() => state.done, 'ramp-completed never reached React state', { timeout: 6000 });
    expect(state).to.include({ status: 'completed', done: '22.77 EUR' });
    expect(container.querySelector('#seen')!.textContent).to.include('"status":"completed"');
  });
});
