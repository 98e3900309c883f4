/** `cryptopocket-ramp/simulator`: an in-memory CryptopocketAPI for demos and tests. */
export { Simulator, createSimulator, SIM_USERS, SIM_ASSETS } from './simulator.js';
export type { SimulatorOptions, SimUser, SimAsset, SimPayment, SimRampoff, SimRequest, SimFailure } from './simulator.js';
