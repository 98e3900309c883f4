/**
 * The open operation, kept in `sessionStorage` so a reload resumes it: its id (or, while the create
 * is in flight, its Idempotency-Key) and the non-sensitive choices. Never the IBAN. Scoped to the session endpoint.
 */
import type { Flow } from '../types.js';

export type OpenRecord =
  | { flow: Flow; phase: 'tracking'; id: string }
  | { flow: Flow; phase: 'creating'; key: string; /** When the create was sent (ms since the epoch). */ at?: number };

import { OPEN_PREFIX as PREFIX, openStorage as storage } from './resume-key.js';

export function saveOpen(scope: string, record: OpenRecord): void {
  try {
    storage()?.setItem(PREFIX + scope, JSON.stringify(record));
  } catch {
    /* quota or blocked: resuming is a convenience */
  }
}

export function loadOpen(scope: string): OpenRecord | undefined {
  try {
    const value: unknown = JSON.parse(storage()?.getItem(PREFIX + scope) ?? 'null');
    if (typeof value !== 'object' || value === null) return undefined;
    const r = value as Record<string, unknown>;
    if (r.flow !== 'onramp' && r.flow !== 'offramp') return undefined;
    if (r.phase === 'tracking' && typeof r.id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(r.id)) return { flow: r.flow, phase: 'tracking', id: r.id };
    if (r.phase === 'creating' && typeof r.key === 'string' && /^[A-Za-z0-9_.:-]{8,128}$/.test(r.key)) {
      return { flow: r.flow, phase: 'creating', key: r.key, ...(typeof r.at === 'number' && Number.isFinite(r.at) ? { at: r.at } : {}) };
    }
  } catch {
    /* unreadable: ignore */
  }
  return undefined;
}

export function clearOpen(scope: string): void {
  try {
    storage()?.removeItem(PREFIX + scope);
  } catch {
    /* ignore */
  }
}
