import { errors } from 'oidc-provider';

/** How long a client is told to wait (Retry-After) when the store does not answer. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * The store did not answer. Rendered by oidc-provider as `503 temporarily_unavailable`
 * (and by our own pages as the Japanese "service unavailable" page).
 */
export class StoreUnavailable extends errors.OIDCProviderError {
  readonly retryAfterSeconds: number;

  constructor(cause?: unknown) {
    super(503, 'temporarily_unavailable', cause instanceof Error ? { cause } : undefined);
    this.expose = true;
    this.retryAfterSeconds = STORE_RETRY_AFTER_SECONDS;
    Object.assign(this, { error_description: 'the service is temporarily unavailable, try again later' });
  }
}

/** Wraps any non-protocol failure of a store call as StoreUnavailable. */
export async function guardStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof errors.OIDCProviderError) throw error;
    throw new StoreUnavailable(error);
  }
}
