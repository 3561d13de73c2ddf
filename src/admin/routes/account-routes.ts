import Router from '@koa/router';
import type { Context } from 'koa';
import { ACCOUNT_TYPES, type BankAccount } from '../../accounts/account-source/bank-account.js';
import { AccountError } from '../../accounts/account-source/directory-accounts.js';
import type { Customer } from '../../accounts/customer.js';
import type { AppContext } from '../../services.js';
import { AdminError, notFound } from '../admin-error.js';
import { guard, readJson } from '../admin-guard.js';

const addGuard = guard<Omit<BankAccount, 'account_id'>>({
  type: 'object',
  additionalProperties: false,
  required: ['type', 'branch', 'number'],
  properties: {
    type: { enum: [...ACCOUNT_TYPES] },
    branch: { type: 'string', pattern: '^\\d{3}$', expected: 'three digits' },
    number: { type: 'string', pattern: '^\\d{1,10}$', expected: '1 to 10 digits' },
    nickname: { type: 'string', minLength: 1, maxLength: 50 },
  },
});

/** A customer's accounts: listed from the configured source, registered and removed in the directory. */
export function accountRoutes(app: AppContext): Router {
  const router = new Router({ prefix: '/users/:loginId/accounts' });

  async function load(ctx: Context): Promise<Customer> {
    const customer = await app.customers.findByLoginId(String(ctx.params.loginId));
    if (!customer) throw notFound(`user ${ctx.params.loginId}`);
    return customer;
  }

  function requireDirectory(): void {
    if (app.settings.config.accounts.source !== 'directory') {
      throw new AdminError(409, 'conflict', 'accounts come from the account service (accounts.source is http); change them there');
    }
  }

  router.get('/', async (ctx) => {
    const customer = await load(ctx);
    ctx.body = await app.accountSource.listAccounts(customer.sub);
  });

  router.post('/', async (ctx) => {
    requireDirectory();
    const body = addGuard(await readJson(ctx));
    const customer = await load(ctx);
    try {
      const account = await app.directoryAccounts.add(customer.sub, body);
      app.audit('user.account_added', { login_id: customer.loginId, sub: customer.sub, account_id: account.account_id, ip: ctx.ip, outcome: 'success' });
      ctx.status = 201;
      ctx.body = account;
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      if (error.code === 'account.duplicate') throw new AdminError(409, 'conflict', error.message);
      throw new AdminError(400, 'validation_failed', error.message);
    }
  });

  router.delete('/:accountId', async (ctx) => {
    requireDirectory();
    const customer = await load(ctx);
    try {
      await app.directoryAccounts.remove(customer.sub, String(ctx.params.accountId));
    } catch (error) {
      if (error instanceof AccountError) throw notFound(`account ${ctx.params.accountId}`);
      throw error;
    }
    app.audit('user.account_removed', { login_id: customer.loginId, sub: customer.sub, account_id: ctx.params.accountId, ip: ctx.ip, outcome: 'success' });
    ctx.status = 204;
  });

  return router;
}
