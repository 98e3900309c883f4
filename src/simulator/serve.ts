#!/usr/bin/env node
/**
 * `npx cryptopocket-ramp-simulator` (`npm run simulator` in a clone): the simulated CryptopocketAPI alone on a port.
 * Environment:
 *   PORT                          port (default 8790)
 *   CRYPTOPOCKET_API_KEY          the key clients send in `auth` (default sim-api-key)
 *   CRYPTOPOCKET_WEBHOOK_SECRET   the secret webhooks are signed with (default sim-webhook-secret)
 *   WEBHOOK_URL                   where webhooks go, e.g. your handler's http://localhost:8787/api/ramp-session/webhooks (default: none sent)
 *   SIMULATOR_STEP_MS             advance open operations this often (default 0: by POST /_simulator/advance)
 */
import { createServer } from 'node:http';
import { toNodeListener } from '../server/node.js';
import { SIM_USERS, createSimulator } from './simulator.js';

const port = Number(process.env.PORT ?? 8790);
const origin = `http://127.0.0.1:${port}`;
const simulator = createSimulator({
  apiKey: process.env.CRYPTOPOCKET_API_KEY ?? 'sim-api-key',
  webhookSecret: process.env.CRYPTOPOCKET_WEBHOOK_SECRET ?? 'sim-webhook-secret',
  webhookUrl: process.env.WEBHOOK_URL,
  autoAdvanceMs: Number(process.env.SIMULATOR_STEP_MS ?? 0),
  // its hosted checkout and verification forms are served here too
  pagesUrl: origin,
});
const server = createServer(toNodeListener(simulator.handle));
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${port} is in use: stop what runs there, or start with PORT=<another port>.`
      : `The simulator could not start: ${error.message}`,
  );
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  const secret = process.env.CRYPTOPOCKET_WEBHOOK_SECRET ? '<from CRYPTOPOCKET_WEBHOOK_SECRET>' : 'sim-webhook-secret';
  console.log('Cryptopocket simulator');
  console.log(`  API key (auth header)  ${process.env.CRYPTOPOCKET_API_KEY ? '<from CRYPTOPOCKET_API_KEY>' : simulator.apiKey}`);
  console.log(`  webhook secret         ${secret}`);
  console.log(`  webhooks to            ${process.env.WEBHOOK_URL ?? 'nowhere (set WEBHOOK_URL)'}`);
  console.log('  users');
  for (const u of SIM_USERS) console.log(`    ${String(u.id).padEnd(5)}${u.region.padEnd(7)}${u.fiat.padEnd(5)}KYC ${u.kyc.padEnd(12)}${u.name}`);
  console.log('  control: GET /_simulator/state · POST /_simulator/advance {"id"?} · /fail {"path","status"} · /transfer {"concept"} · /reset');
  console.log(`  ${origin}`);
});
const stop = () => {
  simulator.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
