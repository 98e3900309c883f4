/** `cryptopocket-ramp`: the element (registered on import), its events and the protocol types. */
import './define.js';

export { CryptopocketRamp } from './cryptopocket-ramp.js';
export * from './events.js';
export { RampError } from './lib/errors.js';
export type * from './types.js';
