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

/** Networks whose addresses are Tron's: Base58Check of 0x41 and 20 bytes (`T…`, 34 characters). */
const TRON_CHAINS = new Set(['tron', 'trx', 'trc20']);

import { base58CheckDecode } from './base58.js';
import { keccak256 } from './keccak.js';

export type AddressError =
  'address.empty' | 'address.format' | 'address.checksum' | 'address.zero' | 'address.tronFormat' | 'address.tronChecksum' | 'address.unsupported';

export function isEvmChain(chain: string | undefined): boolean {
  return chain === undefined || chain === '' || EVM_CHAINS.has(chain.toLowerCase());
}

/** Whether addresses on `chain` can be checked for real (a checksum, not plausible characters). */
export function isCheckedChain(chain: string | undefined): boolean {
  return isEvmChain(chain) || TRON_CHAINS.has(chain!.toLowerCase());
}

/**
 * Validates a deposit or destination address for `chain`: EVM addresses with EIP-55 (mixed case), Tron's with
 * Base58Check. A missing chain (LATAM) is treated as EVM, the networks the API uses there. A network we cannot check
 * is refused (`address.unsupported`): no QR code, no wallet, rather than an address nobody checked.
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
  if (!TRON_CHAINS.has(chain!.toLowerCase())) return 'address.unsupported';
  if (!/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(value)) return 'address.tronFormat';
  const payload = base58CheckDecode(value);
  return payload?.length === 21 && payload[0] === 0x41 ? null : 'address.tronChecksum';
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
