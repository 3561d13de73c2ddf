import Router from '@koa/router';
import type { Context } from 'koa';
import type { Customer } from '../../accounts/customer.js';
import { CustomerError } from '../../accounts/customer-directory.js';
import { revokeCustomerGrant } from '../../grants/revoke-customer-grant.js';
import type { AppContext } from '../../services.js';
import { AdminError, notFound } from '../admin-error.js';
import { guard, readJson } from '../admin-guard.js';
import { pageCustomers } from '../customer-page.js';
import { CustomerChangeError, updateCustomer } from '../customer-update.js';
import { addUserImportRoutes } from './user-import-routes.js';

interface NewUserBody {
  login_id: string;
  user_number: string;
  password: string;
  question: string;
  answer: string;
  name?: string;
}

const STRING = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const createGuard = guard<NewUserBody>({
  type: 'object',
  additionalProperties: false,
  required: ['login_id', 'user_number', 'password', 'question', 'answer'],
  properties: { login_id: STRING(64), user_number: STRING(32), password: STRING(128), question: STRING(100), answer: STRING(32), name: STRING(100) },
});
const updateGuard = guard<{ name?: string; question?: string; answer?: string; user_number?: string }>({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { name: STRING(100), question: STRING(100), answer: STRING(32), user_number: STRING(32) },
  dependencies: { question: ['answer'] },
});
const listGuard = guard<{ query?: string; limit?: string; cursor?: string; include?: 'accounts' }>({
  type: 'object',
  additionalProperties: false,
  properties: { query: STRING(100), limit: { type: 'string', pattern: '^(?:[1-9]\\d{0,2}|1000)$', expected: 'a whole number from 1 to 1000' }, cursor: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$', expected: 'a cursor from a previous page' }, include: { const: 'accounts' } },
});
const DEFAULT_PAGE = 100;
const passwordGuard = guard<{ password: string }>({ type: 'object', additionalProperties: false, required: ['password'], properties: { password: STRING(128) } });

const iso = (at: number | undefined) => (at ? new Date(at).toISOString() : null);

export function userRoutes(app: AppContext): Router {
  const router = new Router({ prefix: '/users' });
  const audit = (ctx: Context, event: string, customer: Pick<Customer, 'loginId' | 'sub'>) =>
    app.audit(`user.${event}`, { login_id: customer.loginId, sub: customer.sub, ip: ctx.ip, outcome: 'success' });

  const view = async (customer: Customer) => ({
    login_id: customer.loginId,
    sub: customer.sub,
    name: customer.name,
    status: customer.status,
    failures: await app.lockout.failuresSinceSuccess(customer.sub),
    created_at: iso(customer.createdAt),
    last_login_at: iso(customer.lastLoginAt),
  });

  async function load(ctx: Context): Promise<Customer> {
    const customer = await app.customers.findByLoginId(String(ctx.params.loginId));
    if (!customer) throw notFound(`user ${ctx.params.loginId}`);
    return customer;
  }

  async function revokeAll(ctx: Context, customer: Customer, reason: string): Promise<void> {
    for (const summary of await app.grants.listForCustomer(customer.sub)) {
      await revokeCustomerGrant(app, customer.sub, summary, { reason, login_id: customer.loginId, ip: ctx.ip });
    }
  }

  addUserImportRoutes(router, app);

  router.post('/', async (ctx) => {
    const body = createGuard(await readJson(ctx));
    let customer: Customer;
    try {
      customer = await app.customers.create({
        loginId: body.login_id,
        userNumber: body.user_number,
        password: body.password,
        question: body.question,
        answer: body.answer,
        ...(body.name ? { name: body.name } : {}),
      });
    } catch (error) {
      if (!(error instanceof CustomerError)) throw error;
      if (error.code === 'customer.duplicate_login_id') throw new AdminError(409, 'conflict', error.message);
      const field = { 'customer.invalid_login_id': 'login_id', 'customer.invalid_user_number': 'user_number', 'customer.invalid_password': 'password', 'customer.invalid_question': 'question', 'customer.invalid_answer': 'answer' }[error.code];
      throw new AdminError(400, 'validation_failed', error.message, [{ path: `/${field}`, message: error.message }]);
    }
    audit(ctx, 'created', customer);
    ctx.status = 201;
    ctx.body = await view(customer);
  });

  /** `{ users, next_cursor }`: a page in login-ID order; next_cursor is null on the last page. `include=accounts` adds each user's directory accounts (`user export`). */
  router.get('/', async (ctx) => {
    const query = listGuard({ ...ctx.query });
    const { customers, nextCursor } = await pageCustomers(app, { query: query.query, limit: query.limit ? Number(query.limit) : DEFAULT_PAGE, cursor: query.cursor });
    const withAccounts = query.include === 'accounts';
    ctx.body = { users: await Promise.all(customers.map(async (c) => ({ ...(await view(c)), ...(withAccounts ? { accounts: c.accounts ?? [] } : {}) }))), next_cursor: nextCursor };
    // reading the directory in bulk (user list, user export) is recorded: who read how many customers' details
    app.audit('user.listed', { ip: ctx.ip, outcome: 'success', count: customers.length, include_accounts: withAccounts, ...(query.query ? { query: query.query } : {}) });
  });

  router.get('/:loginId', async (ctx) => {
    ctx.body = await view(await load(ctx));
  });

  router.post('/:loginId/lock', async (ctx) => {
    const customer = await load(ctx);
    await app.customers.setStatus(customer.sub, 'locked');
    audit(ctx, 'locked', customer);
    ctx.body = await view({ ...customer, status: 'locked' });
  });

  router.post('/:loginId/unlock', async (ctx) => {
    const customer = await load(ctx);
    await app.lockout.unlock(customer.sub);
    audit(ctx, 'unlocked', customer);
    ctx.body = await view({ ...customer, status: 'active' });
  });

  router.put('/:loginId/password', async (ctx) => {
    const customer = await load(ctx);
    const { password } = passwordGuard(await readJson(ctx));
    try {
      await app.customers.setPassword(customer.sub, password);
    } catch (error) {
      if (error instanceof CustomerError) throw new AdminError(400, 'validation_failed', error.message, [{ path: '/password', message: error.message }]);
      throw error;
    }
    await app.events.credentialChanged(customer.sub, await app.grants.listForCustomer(customer.sub), 'password');
    await revokeAll(ctx, customer, 'password_changed');
    audit(ctx, 'password_changed', customer);
    ctx.body = await view(customer);
  });

  /** Name, secret question with its answer, 利用者番号; a credential change revokes every grant. */
  router.patch('/:loginId', async (ctx) => {
    const body = updateGuard(await readJson(ctx));
    const customer = await load(ctx);
    let result;
    try {
      result = await updateCustomer(app, customer, { name: body.name, question: body.question, answer: body.answer, userNumber: body.user_number });
    } catch (error) {
      if (error instanceof CustomerChangeError) throw new AdminError(400, 'validation_failed', error.message, [{ path: `/${error.field}`, message: error.message }]);
      throw error;
    }
    if (result.credentialsChanged) {
      const grants = await app.grants.listForCustomer(customer.sub);
      if (body.answer !== undefined) await app.events.credentialChanged(customer.sub, grants, 'answer');
      if (body.user_number !== undefined) await app.events.credentialChanged(customer.sub, grants, 'user_number');
      await revokeAll(ctx, customer, 'credentials_changed');
    }
    app.audit('user.updated', { login_id: customer.loginId, sub: customer.sub, ip: ctx.ip, outcome: 'success', fields: Object.keys(body).sort() });
    ctx.body = await view(result.customer);
  });

  router.delete('/:loginId', async (ctx) => {
    const customer = await load(ctx);
    await revokeAll(ctx, customer, 'user_deleted');
    await app.customers.delete(customer);
    audit(ctx, 'deleted', customer);
    ctx.status = 204;
  });

  return router;
}
