/**
 * The demo page (`npm start`) as a phone shows it: at 360 px wide nothing scrolls sideways and the widget is whole.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { SIM_USERS } from '../../src/simulator/index.js';

describe('the demo page', () => {
  it('fits a 360 px screen: no horizontal scroll, the widget within the viewport', async () => {
    // the page as served, pointed at the test backend's session endpoint
    const page = (await (await fetch('/demo/index.html')).text()).replace('session-url="/session"', 'session-url="/session/eu"');
    // what the demo server answers at /demo-info: its users fill the user switch (the longest line on the page)
    const info = JSON.stringify({ simulator: true, users: SIM_USERS.map(({ id, name, region, kyc }) => ({ id, name, region, kyc })) });
    const demoInfo = `<script>const real = fetch; window.fetch = (url, init) => String(url) === '/demo-info' ? Promise.resolve(new Response(${JSON.stringify(info)})) : real(url, init);</script>`;
    const frame = document.createElement('iframe');
    frame.style.cssText = 'width: 360px; height: 740px; border: 0';
    frame.srcdoc = page.replace('<head>', `<head>${demoInfo}`);
    document.body.append(frame);
    try {
      await waitUntil(() => frame.contentDocument?.querySelector('cryptopocket-ramp')?.shadowRoot?.querySelector('input'), 'the widget did not render', {
        timeout: 8000,
      });
      const doc = frame.contentDocument!;
      await waitUntil(() => doc.querySelectorAll('#user option').length > SIM_USERS.length, 'the user switch was not filled');
      const html = doc.documentElement;
      expect(html.clientWidth).to.equal(360);
      expect(html.scrollWidth, 'the page scrolls sideways').to.be.at.most(html.clientWidth);
      const ramp = doc.querySelector('cryptopocket-ramp')!.getBoundingClientRect();
      expect(ramp.left).to.be.at.least(0);
      expect(ramp.right, 'the widget is clipped').to.be.at.most(html.clientWidth);
    } finally {
      frame.remove();
    }
  });
});
