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
import { queryByLabel } from '../support/dom.js';

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
    await waitUntil(() => queryByLabel(ref.current!, 'Amount to sell'), 'the sell view');
    root.unmount();
  });

  it('hydrates server-rendered HTML after the element loaded: the missed ramp-ready reaches React state, once', async () => {
    function Checkout() {
      const [region, setRegion] = useState('');
      return createElement(
        'div',
        null,
        createElement('p', { id: 'region' }, region),
        createElement(CryptopocketRamp, { sessionUrl: '/session/eu', onRampReady: (e) => setRegion(e.detail.region) }),
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
    element.sessionUrl = '/session/eu';
    await waitUntil(() => element.config, 'the element did not load before hydration', { timeout: 4000 });
    let calls = 0;
    const counted = () => calls++;
    element.addEventListener('ramp-ready', counted);
    hydrateRoot(container, createElement(Checkout));
    await waitUntil(() => container.querySelector('#region')!.textContent === 'EU', 'ramp-ready never reached React state', { timeout: 4000 });
    expect(calls, 'replayed to React only, not fired again on the page').to.equal(0);
  });
});
