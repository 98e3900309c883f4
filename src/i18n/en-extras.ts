/** English strings of what the first view shows once its extras load (see `views/extras.ts`): price, step indicator, provider. */
export const enExtras = {
  'price.line': '1 {symbol} ≈ {price}',
  'step.of': 'Step {n} of {total}',
  'step.amount': 'Amount',
  'step.wallet': 'Wallet',
  'step.payout': 'Bank account',
  'step.review': 'Review',
  'step.tracking': 'Status',
  powered: 'Powered by Cryptopocket',
} as const;
