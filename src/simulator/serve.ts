#!/usr/bin/env node
/** `npm run simulator`: serves the simulated CryptopocketAPI alone on a port (PORT, default 8790). */
import { createServer } from 'node:http';
import { toNodeListener } from '../server/node.js';
import { SIM_USERS, createSimulator } from './simulator.js';

const port = Number(process.env.PORT ?? 8790);
const simulator = createSimulator({
  apiKey: process.env.CRYPTOPOCKET_API_KEY ?? 'sim-api-key',
  webhookSecret: process.env.CRYPTOPOCKET_WEBHOOK_SECRET ?? 'sim-webhook-secret',
  webhookUrl: process.env.WEBHOOK_URL,
  autoAdvanceMs: Number(process.env.SIMULATOR_STEP_MS ?? 0),
});
const server = createServer(toNodeListener(simulator.handle));
server.listen(port, '127.0.0.1', () => {
  console.log(
    `Cryptopocket simulator on http://127.0.0.1:${port}  (auth: ${simulator.apiKey === 'sim-api-key' ? 'sim-api-key' : '<from CRYPTOPOCKET_API_KEY>'})`,
  );
  console.log(`Users: ${SIM_USERS.map((u) => `${u.id} ${u.region} kyc=${u.kyc}`).join(', ')}`);
  console.log('Control: GET /_simulator/state, POST /_simulator/advance {"id"?}, POST /_simulator/fail {"path","status"}, POST /_simulator/reset');
});
const stop = () => {
  simulator.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
