import type { Flow, KycStatus, RampStatus } from '../types.js';

/**
 * Upstream status values → the one lifecycle (see ARCHITECTURE.md). Undocumented upstream values
 * become `processing`: "in progress", never an error.
 */
const ONRAMP: Record<string, RampStatus> = {
  started: 'created',
  pending_bank: 'payment_pending',
  payment_received: 'funds_received',
  pay_in: 'funds_received',
  coins_sent: 'completed',
  failed: 'failed',
  cancelled: 'failed',
  canceled: 'failed',
  expired: 'expired',
};

const OFFRAMP: Record<string, RampStatus> = {
  created: 'created',
  pending: 'created',
  waiting: 'created',
  crypto_received: 'funds_received',
  received: 'funds_received',
  finished: 'completed',
  transfer_rampoff_finished: 'completed',
  rampoff_finished: 'completed',
  failed: 'failed',
  cancelled: 'failed',
  canceled: 'failed',
  expired: 'expired',
};

export function normalizeStatus(flow: Flow, raw: string): RampStatus {
  const table = flow === 'onramp' ? ONRAMP : OFFRAMP;
  return table[raw.toLowerCase()] ?? 'processing';
}

/** Position in the lifecycle; states only move forward. `processing` sits between created and completed. */
const RANK: Record<RampStatus, number> = {
  created: 0,
  payment_pending: 1,
  processing: 2,
  funds_received: 3,
  completed: 4,
  failed: 4,
  expired: 4,
};

/** Whether the lifecycle has got as far as `target` (a failed or expired operation has reached nothing more). */
export function hasReached(status: RampStatus, target: RampStatus): boolean {
  return status !== 'failed' && status !== 'expired' && RANK[status] >= RANK[target];
}

export function isTerminal(status: RampStatus): boolean {
  return RANK[status] === 4;
}

/** True when moving from `from` to `to` is progress (not a repeat, not a step back). */
export function isForward(from: RampStatus | undefined, to: RampStatus): boolean {
  if (!from) return true;
  if (isTerminal(from)) return false;
  if (to === 'processing') return RANK[from] < RANK.processing;
  return RANK[to] > RANK[from];
}

/** What the widget asks of a user who may not trade yet: to start verifying, to wait, nothing more (failed), or more details (reinforced). */
export type KycGateKind = 'start' | 'progress' | 'failed' | 'reinforced';

/** Upstream KYC values that mean the user has submitted and a review is running. */
const KYC_IN_PROGRESS = new Set(['processing', 'pending', 'review', 'in_review', 'submitted', 'in_progress']);

/** The gate a KYC state puts before the amounts, if any (a refusal at create time brings `reinforced`). */
export function kycGateKind(status: KycStatus, raw: string): KycGateKind | undefined {
  if (status === 'valid') return undefined;
  if (status === 'failed') return 'failed';
  return KYC_IN_PROGRESS.has(raw.toLowerCase()) ? 'progress' : 'start';
}

/** Upstream `kyc_status` → normalised KYC state. */
export function normalizeKyc(raw: string): KycStatus {
  const value = raw.toLowerCase();
  if (value === 'valid' || value === 'approved' || value === 'verified') return 'valid';
  if (value === 'fail' || value === 'failed' || value === 'rejected') return 'failed';
  return 'pending';
}
