/** Block explorers per network, for the transaction link of a finished purchase. */
const EXPLORERS: Record<string, { name: string; tx: string }> = {
  ethereum: { name: 'Etherscan', tx: 'https://etherscan.io/tx/' },
  polygon: { name: 'Polygonscan', tx: 'https://polygonscan.com/tx/' },
  bsc: { name: 'BscScan', tx: 'https://bscscan.com/tx/' },
  arbitrum: { name: 'Arbiscan', tx: 'https://arbiscan.io/tx/' },
  optimism: { name: 'Optimism Explorer', tx: 'https://optimistic.etherscan.io/tx/' },
  base: { name: 'Basescan', tx: 'https://basescan.org/tx/' },
};

export function explorerLink(chain: string | undefined, txid: string): { name: string; url: string } | undefined {
  const explorer = chain ? EXPLORERS[chain.toLowerCase()] : undefined;
  if (!explorer || !/^0x[0-9a-fA-F]{64}$/.test(txid)) return undefined;
  return { name: explorer.name, url: explorer.tx + txid };
}
