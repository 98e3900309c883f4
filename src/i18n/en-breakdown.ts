/** English strings of the price breakdown (the amount step loads it after the first view; the review has it with the later steps). */
export const enBreakdown = {
  'breakdown.label': 'Price breakdown',
  'breakdown.rate': 'Rate',
  'breakdown.fee': 'Processing fee',
  'breakdown.networkFee': 'Network fee',
  'breakdown.totalPay': 'Total you pay',
  'breakdown.totalReceive': 'You receive',
} as const;
