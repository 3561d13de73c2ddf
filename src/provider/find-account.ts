import type { FindAccount } from 'oidc-provider';
import type { CustomerDirectory } from '../accounts/customer-directory.js';

/** Locked or deleted customers are not found, so their tokens stop working at once. */
export function createFindAccount(customers: CustomerDirectory): FindAccount {
  return async (_ctx, sub) => {
    const customer = await customers.findBySub(sub);
    if (!customer || customer.status !== 'active') return undefined;
    return {
      accountId: customer.sub,
      claims: async () => ({ sub: customer.sub }),
    };
  };
}
