/** What the two quote routes share. */
import { ShapeError } from '../../lib/read.js';
import { HttpError } from '../http.js';
import { UpstreamError } from '../upstream.js';

/** A quote that is unavailable (not a business refusal such as `min_purchase`) is estimated from the price instead. */
export function fallsBackToPrice(error: unknown): boolean {
  if (error instanceof ShapeError) return true;
  if (error instanceof HttpError) return error.code === 'bad_response';
  if (!(error instanceof UpstreamError)) return false;
  return ['not_found', 'upstream_unavailable', 'upstream_timeout', 'bad_response', 'upstream_error'].includes(error.code);
}

export function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
