import Router from '@koa/router';
import type { GrantSummary } from '../../grants/grant-index.js';
import { revokeCustomerGrant } from '../../grants/revoke-customer-grant.js';
import type { AppContext } from '../../services.js';
import { redisKeys } from '../../storage/redis-keys.js';
import { notFound } from '../admin-error.js';
import { guard, readJson } from '../admin-guard.js';

interface GrantRow {
  grant_id: string;
  sub: string;
  login_id: string | null;
  client_id: string;
  /** the partner's name as registered (null when the client is gone) */
  client_name: string | null;
  scope: string;
  created_at: string;
  expires_at: string;
}

const queryGuard = guard<{ user?: string; client?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { user: { type: 'string', minLength: 1 }, client: { type: 'string', minLength: 1 } },
});
const revokeGuard = guard<{ user: string; client?: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['user'],
  properties: { user: { type: 'string', minLength: 1 }, client: { type: 'string', minLength: 1 } },
});

export function grantRoutes(app: AppContext): Router {
  const router = new Router({ prefix: '/grants' });

  const row = (sub: string, loginId: string | null, s: GrantSummary, clientNames: Record<string, string>): GrantRow => ({
    grant_id: s.grantId,
    sub,
    login_id: loginId,
    client_id: s.clientId,
    client_name: clientNames[s.clientId] ?? null,
    scope: s.scope,
    created_at: new Date(s.createdAt).toISOString(),
    expires_at: new Date(s.expiresAt).toISOString(),
  });

  /** Every (sub, summary) pair, found through the per-customer or per-client indexes, never a scan. */
  async function find(filter: { user?: string; client?: string }): Promise<{ sub: string; loginId: string | null; summary: GrantSummary }[]> {
    // a client ID that names no partner is a typo (or a deleted partner, whose grants ended with it)
    if (filter.client && !(await app.clients.get(filter.client))) throw notFound(`client ${filter.client}`);
    let pairs: { sub: string; clientId: string }[];
    if (filter.user) {
      const customer = await app.customers.findByLoginId(filter.user);
      if (!customer) throw notFound(`user ${filter.user}`);
      pairs = (await app.grants.listForCustomer(customer.sub)).map((s) => ({ sub: customer.sub, clientId: s.clientId }));
    } else {
      const clientIds = filter.client ? [filter.client] : (await app.clients.list()).map((c) => c.client_id);
      pairs = (await Promise.all(clientIds.map(async (clientId) => Object.values(await app.grants.listForClient(clientId)).map((sub) => ({ sub, clientId }))))).flat();
    }
    if (filter.client) pairs = pairs.filter((p) => p.clientId === filter.client);
    // a partner's index can name a customer twice (a grant replaced after it expired): one row each
    pairs = [...new Map(pairs.map((p) => [`${p.sub} ${p.clientId}`, p])).values()];
    const rows = await Promise.all(pairs.map(async ({ sub, clientId }) => {
      const summary = await app.grants.find(sub, clientId);
      const customer = await app.customers.findBySub(sub);
      return summary ? { sub, loginId: customer?.loginId ?? null, summary } : undefined;
    }));
    return rows.filter((r) => r !== undefined);
  }

  /**
   * The grant's real expiry, from the stored Grant (the index may not carry it); undefined when
   * the Grant is gone (expired), so that the list shows only access that still exists.
   */
  async function withExpiry(summary: GrantSummary): Promise<GrantSummary | undefined> {
    const stored = (await app.store.adapterFactory('Grant').find(summary.grantId)) as { exp?: number } | undefined;
    if (!stored) return undefined;
    return typeof stored.exp === 'number' ? { ...summary, expiresAt: stored.exp * 1000 } : summary;
  }

  router.get('/', async (ctx) => {
    const filter = queryGuard({ ...ctx.query });
    const clientNames = await app.store.kv.hashGetAll(redisKeys.clientList());
    const rows = await Promise.all((await find(filter)).map(async ({ sub, loginId, summary }) => {
      const current = await withExpiry(summary);
      return current ? row(sub, loginId, current, clientNames) : undefined;
    }));
    ctx.body = rows.filter((r) => r !== undefined);
  });

  router.post('/revoke', async (ctx) => {
    const filter = revokeGuard(await readJson(ctx));
    const revoked: string[] = [];
    for (const { sub, loginId, summary } of await find(filter)) {
      await revokeCustomerGrant(app, sub, summary, { reason: 'admin', login_id: loginId ?? undefined, ip: ctx.ip });
      revoked.push(summary.grantId);
    }
    ctx.body = { revoked };
  });

  router.delete('/:grantId', async (ctx) => {
    const grant = await app.provider.Grant.find(ctx.params.grantId!);
    if (!grant?.accountId || !grant.clientId) throw notFound(`grant ${ctx.params.grantId}`);
    const customer = await app.customers.findBySub(grant.accountId);
    await revokeCustomerGrant(app, grant.accountId, { grantId: ctx.params.grantId!, clientId: grant.clientId }, { reason: 'admin', login_id: customer?.loginId, ip: ctx.ip });
    ctx.status = 204;
  });

  return router;
}
