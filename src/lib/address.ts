/** Wallet address checks per network. Pure, no DOM. */

/** Networks whose addresses are EVM addresses (`0x` + 40 hex). */
const EVM_CHAINS = new Set([
  'ethereum',
  'eth',
  'erc20',
  'polygon',
  'matic',
  'bsc',
  'bep20',
  'binance',
  'arbitrum',
  'optimism',
  'base',
  'avalanche',
  'avax',
  'gnosis',
  'linea',
  'zksync',
  'celo',
  'fantom',
]);

import { keccak256 } from './keccak.js';

export type AddressError = 'address.empty' | 'address.format' | 'address.checksum' | 'address.zero';

export function isEvmChain(chain: string | undefined): boolean {
  return chain === undefined || chain === '' || EVM_CHAINS.has(chain.toLowerCase());
}

/**
 * Validates a deposit or destination address for `chain`. A chain we do not know is checked only
 * for plausible characters; a missing chain (LATAM) is treated as EVM, the networks the API uses there.
 */
export function validateAddress(address: string, chain?: string): AddressError | null {
  const value = address.trim();
  if (!value) return 'address.empty';
  if (isEvmChain(chain)) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return 'address.format';
    const hex = value.slice(2);
    if (/^0+$/.test(hex)) return 'address.zero'; // the burn address: tokens sent there are gone
    // all lower or all upper case carries no checksum; mixed case must pass EIP-55
    if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return null;
    return toChecksumAddress(value) === value ? null : 'address.checksum';
  }
  return /^[A-Za-z0-9:_-]{20,128}$/.test(value) ? null : 'address.format';
}

/** Groups of four for visual checking: `"0xe0Cc…"` → `"0xe0C c… "`; keeps `0x` with the first group. */
export function groupAddress(address: string): string[] {
  const value = address.trim();
  const head = value.startsWith('0x') ? 2 : 0;
  const groups: string[] = [];
  for (let i = head; i < value.length; i += 4) groups.push(value.slice(i, i + 4));
  if (head && groups.length) groups[0] = `0x${groups[0]}`;
  return groups;
}

/** EIP-55 mixed-case checksum encoding of an EVM address. */
export function toChecksumAddress(address: string): string {
  const hex = address.slice(2).toLowerCase();
  const hash = keccak256(new TextEncoder().encode(hex));
  let out = '0x';
  for (let i = 0; i < 40; i++) out += parseInt(hash[i]!, 16) >= 8 ? hex[i]!.toUpperCase() : hex[i];
  return out;
}
