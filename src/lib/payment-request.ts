/**
 * What the deposit QR code holds: an EIP-681 payment request (token contract, chain id, recipient, amount in the
 * token's on-chain base units) where a wallet can read one and the token's contract on that network is known here
 * for certain; otherwise the bare address, as before. A wrong contract in a QR code sends real money to the wrong
 * token, so the table holds only contracts with no doubt about which one the API means (checked by tests).
 */
import { toBaseUnits } from './money.js';

/** EVM chain ids by the API's network names. */
export const CHAIN_IDS: Readonly<Record<string, number>> = { ethereum: 1, polygon: 137, bsc: 56, arbitrum: 42161, optimism: 10, base: 8453 };

/**
 * Token contracts by symbol and network, with their on-chain decimals (BNB Smart Chain's USDC and USDT have 18, not
 * the 6 the API uses for amounts). Not listed on purpose: USDC on Polygon, where native USDC and the bridged USDC.e
 * are both "USDC" and the API does not say which it takes.
 */
export const TOKEN_CONTRACTS: Readonly<Record<string, Readonly<Record<string, { address: string; decimals: number }>>>> = {
  USDC: {
    ethereum: { address: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', decimals: 6 },
    bsc: { address: '0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d', decimals: 18 },
  },
  USDT: {
    ethereum: { address: '0xdAC17F958D2ee523a2206206994597C13D831ec7', decimals: 6 },
    polygon: { address: '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', decimals: 6 },
    bsc: { address: '0x55d398326f99059fF775485246999027B3197955', decimals: 18 },
  },
};

/** A network's own coin, paid with `value` (wei) instead of a token transfer. */
const NATIVE: Readonly<Record<string, string>> = { ethereum: 'ETH', arbitrum: 'ETH', optimism: 'ETH', base: 'ETH' };

export interface Deposit {
  address: string;
  symbol: string;
  chain?: string | undefined;
  /** Decimal string: what the user must send. */
  amount: string;
}

/** The QR code's text, and whether it is a payment request (`request`) or only the address (`address`). */
export function paymentRequest(d: Deposit): { text: string; holds: 'request' | 'address' } {
  const chainId = d.chain ? CHAIN_IDS[d.chain] : undefined;
  const bare = { text: d.address, holds: 'address' as const };
  if (!chainId || !/^0x[0-9a-fA-F]{40}$/.test(d.address)) return bare;
  try {
    if (NATIVE[d.chain!] === d.symbol) return { text: `ethereum:${d.address}@${chainId}?value=${toBaseUnits(d.amount, 18)}`, holds: 'request' };
    const token = TOKEN_CONTRACTS[d.symbol]?.[d.chain!];
    if (!token) return bare;
    return { text: `ethereum:${token.address}@${chainId}/transfer?address=${d.address}&uint256=${toBaseUnits(d.amount, token.decimals)}`, holds: 'request' };
  } catch {
    // an amount finer than the token's decimals cannot be requested exactly: the address only
    return bare;
  }
}
