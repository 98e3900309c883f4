/** The backend the browser tests talk to: one session endpoint per simulated user, and the simulator's control API. */
import { createBackend } from '../../demo/backend.js';
import type { SessionUser } from '../../src/server/index.js';

export const TEST_USERS: Record<string, SessionUser | null> = {
  eu: { id: 106, region: 'EU', accountHolder: 'Ana García' },
  // the offramp tests' own user, so counts of its operations are not disturbed by other test files
  'eu-seller': { id: 110, region: 'EU', accountHolder: 'Jon Ander Ortiz' },
  // the integration tests' own seller (they run beside the offramp tests, which count user 110's operations)
  'eu-other-seller': { id: 111, region: 'EU', accountHolder: 'Eva Martín' },
  'kyc-pending': { id: 107, region: 'EU' },
  'kyc-failed': { id: 108, region: 'EU' },
  'kyc-new': { id: 109, region: 'EU', kycUrl: 'https://demo.cryptopocket.io/kyc/109' },
  latam: { id: 200, region: 'LATAM', fiat: 'ARS' },
  anonymous: null,
};

export function createTestBackend(publicOrigin: string) {
  return createBackend({
    publicOrigin,
    sessions: [
      ...Object.entries(TEST_USERS).map(([name, user]) => ({ basePath: `/session/${name}`, resolveUser: () => user })),
      // the offramp tests' user again, but creates reach this endpoint late (800 ms): a reload's lookup by key can
      // overtake the create it interrupted
      {
        basePath: '/session/late-create',
        resolveUser: (request: Request) =>
          request.method === 'POST'
            ? new Promise<SessionUser>((resolve) => setTimeout(() => resolve(TEST_USERS['eu-seller']!), 800))
            : TEST_USERS['eu-seller']!,
      },
      // the user is whoever the bearer token names: a host that switches users sets a new token (or calls reload())
      {
        basePath: '/session/switch',
        resolveUser: (request: Request) =>
          ({ 'Bearer user-110': TEST_USERS['eu-seller']!, 'Bearer user-106': TEST_USERS.eu! })[request.headers.get('authorization') ?? ''] ?? null,
      },
      // a backend that authenticates with a bearer token (the element's `token` property) instead of a cookie
      {
        basePath: '/session/bearer',
        resolveUser: (request: Request) => (request.headers.get('authorization') === 'Bearer good-token' ? TEST_USERS.eu! : null),
      },
      // the offramp tests' user at a merchant that gives a support contact (linked on every error)
      {
        basePath: '/session/eu-seller-help',
        resolveUser: () => TEST_USERS['eu-seller']!,
        options: { support: { url: 'https://help.example.com/ramp', email: 'help@example.com' } },
      },
      // a merchant with amount limits and a support contact
      {
        basePath: '/session/limited',
        resolveUser: () => TEST_USERS.eu!,
        options: {
          amountLimits: { onramp: { EUR: { min: '20', max: '5000' } }, offramp: { USDC: { max: '1000' } } },
          support: { url: 'https://help.example.com/ramp' },
        },
      },
      {
        basePath: '/session/kyc-failed-support',
        resolveUser: () => TEST_USERS['kyc-failed']!,
        options: { support: { url: 'https://help.example.com/ramp', email: 'help@example.com' } },
      },
      // quotes that hold 5 s (the least a handler allows): the countdown and its refresh, in a test's time
      { basePath: '/session/quick-quotes', resolveUser: () => TEST_USERS.eu!, options: { quoteValidFor: 5 } },
      // a merchant with terms the user accepts on each review
      {
        basePath: '/session/terms',
        resolveUser: () => TEST_USERS.eu!,
        options: { terms: { url: 'https://shop.example/terms', privacyUrl: 'https://shop.example/privacy' } },
      },
      // a merchant user with no Cryptopocket account yet: registers in the widget (the handler keeps the new id)
      {
        basePath: '/session/newcomer',
        resolveUser: () => ({ merchantUserId: 'shop-newcomer', region: 'EU', name: 'Nora Vidal', email: 'nora.vidal@shop.test' }),
        options: { registration: { editable: ['email'], termsUrl: 'https://cryptopocket.io/terms' } },
      },
      // another new customer, for the keyboard-only registration
      {
        basePath: '/session/newcomer-keys',
        resolveUser: () => ({ merchantUserId: 'shop-keys', region: 'EU', name: 'Kim Keys', email: 'kim.keys@shop.test' }),
        options: { registration: { termsUrl: 'https://cryptopocket.io/terms' } },
      },
      // a merchant user whose shop email is a throwaway address: the provider refuses it, the user may type another
      {
        basePath: '/session/throwaway',
        resolveUser: () => ({ merchantUserId: 'shop-throwaway', region: 'EU', name: 'Tim Temp', email: 'tim@mailinator.com' }),
        options: { registration: { editable: ['email'], termsUrl: 'https://cryptopocket.io/terms' } },
      },
      // two merchant users with one email: the second meets user_already_exists
      ...['twin-a', 'twin-b'].map((who) => ({
        basePath: `/session/${who}`,
        resolveUser: () => ({ merchantUserId: `shop-${who}`, region: 'EU' as const, name: 'Teo Twin', email: 'teo.twin@shop.test' }),
      })),
      // a slow backend (each request waits 600 ms for its user), for what a user sees while the configuration loads
      { basePath: '/session/slow', resolveUser: () => new Promise<SessionUser>((resolve) => setTimeout(() => resolve(TEST_USERS.eu!), 600)) },
    ],
    log: () => {},
    // browser tests share a few users across files: per-user limits are tested in Node; status reconciliation polls
    // fast, and a create whose outcome is unknown is looked for 1.5 s (60 s by default)
    handlerOptions: {
      limits: { quotesPerMinute: 100_000, createsPerMinute: 100_000, streamsPerUser: 1_000 },
      pollMs: { first: 400, max: 2_000 },
      reconcileWindowMs: 1_500,
    },
  });
}
