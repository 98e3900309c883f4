// The React component renders on a server (Node, no DOM): no crash, and nothing private in the HTML (the token is a
// property, set in the browser only).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { CryptopocketRamp } from '../../src/react.js';

it('renders on the server without the DOM, and never writes the bearer token into the HTML', () => {
  const html = renderToString(createElement(CryptopocketRamp, { sessionUrl: '/api/ramp-session', token: 'secret-token', mode: 'offramp' }));
  assert.match(html, /^<cryptopocket-ramp[^>]*><\/cryptopocket-ramp>$/);
  assert.ok(!html.includes('secret-token'));
});
