import type { FindAccount } from 'oidc-provider';
import type { CustomerDirectory } from '../accounts/customer-directory.js';

/** Locked or deleted customers are not found, so their tokens stop working at once. */
export function createFindAccount(customers: CustomerDirectory): FindAccount {
  return async (_ctx, sub) => {
    const standing = await customers.standingOf(sub);
    if (!standing || standing.status !== 'active') return undefined;
    return {
      accountId: standing.sub,
      claims: async () => ({ sub: standing.sub }),
    };
  };
}
