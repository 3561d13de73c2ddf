import type { Customer } from '../accounts/customer.js';
import type { AppContext } from '../services.js';
import { redisKeys } from '../storage/redis-keys.js';
import { AdminError } from './admin-error.js';

export interface CustomerPageRequest {
  /** matches login IDs and names (case-insensitive substring) */
  readonly query?: string;
  readonly limit: number;
  /** opaque: from the previous page's `nextCursor` */
  readonly cursor?: string;
}

const CHUNK = 200;
const fold = (text: string) => text.normalize('NFKC').toLowerCase();

export const encodeCursor = (loginId: string) => Buffer.from(loginId, 'utf8').toString('base64url');
/** The login ID a cursor stands for; undefined for text that is not a cursor encodeCursor made. */
export function decodeCursor(cursor: string): string | undefined {
  const loginId = Buffer.from(cursor, 'base64url').toString('utf8');
  return loginId !== '' && encodeCursor(loginId) === cursor ? loginId : undefined;
}

/**
 * One page of customers in login-ID order, after the cursor. Walks the directory's index and
 * loads records a chunk at a time, so a page costs about its own size, not the whole directory.
 */
export async function pageCustomers(app: Pick<AppContext, 'customers' | 'store'>, request: CustomerPageRequest): Promise<{ customers: Customer[]; nextCursor: string | null }> {
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  if (request.cursor !== undefined && after === undefined) {
    throw new AdminError(400, 'validation_failed', '/cursor is not a cursor from a previous page', [{ path: '/cursor', message: 'is not a cursor from a previous page' }]);
  }
  const query = request.query ? fold(request.query) : undefined;
  const index = Object.entries(await app.store.kv.hashGetAll(redisKeys.customerList()))
    .filter(([, loginId]) => after === undefined || loginId > after)
    .sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
  const found: Customer[] = [];
  for (let start = 0; start < index.length && found.length <= request.limit; start += CHUNK) {
    const chunk = await Promise.all(index.slice(start, start + CHUNK).map(([sub]) => app.customers.findBySub(sub)));
    for (const customer of chunk) {
      if (!customer) continue;
      if (query && !fold(customer.loginId).includes(query) && !fold(customer.name).includes(query)) continue;
      found.push(customer);
    }
  }
  const page = found.slice(0, request.limit);
  return { customers: page, nextCursor: found.length > request.limit ? encodeCursor(page.at(-1)!.loginId) : null };
}
