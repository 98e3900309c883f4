import { CryptopocketRamp } from './cryptopocket-ramp.js';

/** Registers `<cryptopocket-ramp>` once: a second copy of the script (or of the package) is a no-op. */
if (typeof customElements !== 'undefined' && !customElements.get('cryptopocket-ramp')) {
  customElements.define('cryptopocket-ramp', CryptopocketRamp);
}

declare global {
  interface HTMLElementTagNameMap {
    'cryptopocket-ramp': CryptopocketRamp;
  }
}
