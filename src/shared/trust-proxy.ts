import type Koa from 'koa';

/**
 * `ctx.ip`: the socket's address, or behind the reverse proxy RENKEI_TRUST_PROXY trusts, the last
 * X-Forwarded-For entry, the address that proxy saw. The entries before it are whatever the client
 * sent (a proxy appends to them), and koa takes the first by default: the per-IP throttles, the
 * failure budgets and every audit line would have been the client's to choose.
 */
export function trustProxy(app: Koa, trusted: boolean): void {
  app.proxy = trusted;
  app.maxIpsCount = 1;
}
