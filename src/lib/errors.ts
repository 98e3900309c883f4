/** Error codes the widget knows; upstream business codes (`min_purchase`, `require_kyc`…) pass through as they are. */
export type RampErrorCode =
  | 'config_missing'
  | 'network_error'
  | 'timeout'
  | 'session_expired'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'bad_response'
  | 'invalid_request'
  | 'server_error'
  | (string & {});

/** A failed call, as the widget and the session handler describe it. */
export class RampError extends Error {
  override name = 'RampError';
  constructor(
    readonly code: RampErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status = 0,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }

  /** Any failure as a `RampError`: itself, or a retryable network error. */
  static from(error: unknown): RampError {
    return error instanceof RampError ? error : new RampError('network_error', String(error), true);
  }
}

/** HTTP status → whether trying again may help. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}
