/** Display names of networks. */
const CHAIN_NAMES: Record<string, string> = {
  polygon: 'Polygon',
  ethereum: 'Ethereum',
  bsc: 'BNB Smart Chain',
  arbitrum: 'Arbitrum',
  optimism: 'Optimism',
  base: 'Base',
  tron: 'Tron',
};

export function chainLabel(chain: string): string {
  return CHAIN_NAMES[chain.toLowerCase()] ?? chain;
}
