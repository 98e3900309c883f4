/** Wallet address checks per network. Pure, no DOM. */

/** Networks whose addresses are EVM addresses (`0x` + 40 hex). */
const EVM_CHAINS = new Set([
  'ethereum', 'eth', 'erc20', 'polygon', 'matic', 'bsc', 'bep20', 'binance', 'arbitrum', 'optimism', 'base',
  'avalanche', 'avax', 'gnosis', 'linea', 'zksync', 'celo', 'fantom',
]);

export type AddressError = 'address.empty' | 'address.format';

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
  if (isEvmChain(chain)) return /^0x[0-9a-fA-F]{40}$/.test(value) ? null : 'address.format';
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
