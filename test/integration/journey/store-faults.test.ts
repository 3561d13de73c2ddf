import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { callbackParams } from '../../support/browserless.js';
import { digitsFor } from '../../support/journey.js';
import { basicAuth, createCustomer, postForm, REDIRECT_URI, type TestClient } from '../../support/oauth-fixtures.js';
import { startRedisServer } from '../../support/redis-server.mjs';
import type { TestServer } from '../../support/test-server.js';
import { authorize, postAndLand, registerPartner, titleOf, TEXT, uidOf, type Page, type Started } from './journey-kit.js';
import { startOnPrivateRedis, type PrivateRedisServer } from './private-redis-kit.js';

// A redis-server of its own, which the tests reconfigure, pause and stop; a short command timeout
// so that a paused Redis fails a request quickly.
let running: PrivateRedisServer;
let server: TestServer;
let client: TestClient;
let control: Redis;
beforeAll(async () => {
  running = await startOnPrivateRedis({ redis: { commandTimeoutMs: 300 } });
  server = running.server;
  client = await registerPartner(server);
  control = new Redis(running.redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  await control.connect();
});
afterAll(async () => {
  if (control.status !== 'end') control.disconnect();
  await running.close();
});

/** A fresh customer on the consent screen. */
async function atConsent(): Promise<Started & { consent: Page }> {
  const customer = await createCustomer(server);
  const start = await authorize(server, client);
  const digits = await postAndLand(start.browser, start.page, 'login', { login_id: customer.loginId, password: customer.password });
  const additional = await postAndLand(start.browser, digits, 'digits', digitsFor(customer, digits.html));
  const consent = await postAndLand(start.browser, additional, 'additional', { answer: customer.answer });
  expect(titleOf(consent.html)).toBe(TEXT.consentTitle);
  return { ...start, consent };
}

function expectUnavailablePage(page: Page): void {
  expect(page.response.status).toBe(503);
  expect(page.response.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(page.html).toContain('ただいまご利用いただけません');
}

const consentClaim = (page: Page) => `renkei:{ix:${uidOf(page)}}:consent`;

describe('許可する when the store fails half-way (SPEC §7: nothing half-written)', () => {
  it('releases the consent claim when the grant write is refused, so 許可する works once the store is back', async () => {
    const { browser, consent, state } = await atConsent();
    // refuse writes to grants' keys (renkei:{g:…}) only: the claim before the grant is written, the grant is not
    await control.call('ACL', 'SETUSER', 'default', 'resetkeys', '%R~*', '%RW~renkei:{[^g]*', '%RW~renkei:[^{]*', '%RW~[^r]*');
    let failed: Page;
    try {
      failed = await postAndLand(browser, consent, 'consent', {});
      expect(await control.call('ACL', 'LOG')).not.toEqual([]);
    } finally {
      await control.call('ACL', 'SETUSER', 'default', 'resetkeys', '~*', '+@all');
    }
    expectUnavailablePage(failed);
    expect(failed.html).toContain('<form class="return-to-partner" method="get" action="https://partner.example/callback">');
    expect(failed.html).toContain('<input type="hidden" name="error" value="temporarily_unavailable">');
    expect(await control.get(consentClaim(consent))).toBeNull();

    const end = await postAndLand(browser, consent, 'consent', {});
    expect(callbackParams(end.url).get('state')).toBe(state);
    expect(callbackParams(end.url).get('code')).toBeTruthy();
  });

  it('releases the consent claim when Redis stalls during 許可する (the claim carried out after the request gave up)', async () => {
    const { browser, consent, state } = await atConsent();
    await control.call('CLIENT', 'PAUSE', '1000', 'WRITE');
    const failed = await postAndLand(browser, consent, 'consent', {});
    expectUnavailablePage(failed);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await control.get(consentClaim(consent))).toBeNull();

    const started = Date.now();
    const end = await postAndLand(browser, consent, 'consent', {});
    expect(callbackParams(end.url).get('state')).toBe(state);
    expect(callbackParams(end.url).get('code')).toBeTruthy();
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('every 503 carries Retry-After (SPEC §2, §3, §7)', () => {
  it('on the customer’s page, on partners’ JSON and on /readyz while Redis is down', async () => {
    const { browser, consent } = await atConsent();
    control.disconnect();
    await running.redis.stop();
    try {
      const readyz = await fetch(`${server.issuer}/readyz`);
      expect(readyz.status).toBe(503);
      expect(readyz.headers.get('retry-after')).toMatch(/^\d+$/);

      const token = await postForm(
        `${server.issuer}/token`,
        { grant_type: 'authorization_code', code: 'abc', code_verifier: 'x'.repeat(43), redirect_uri: REDIRECT_URI },
        { authorization: basicAuth(client) },
      );
      expect([token.status, token.json.error]).toEqual([503, 'temporarily_unavailable']);
      expect(token.headers.get('retry-after')).toMatch(/^\d+$/);

      const authorization = await fetch(`${server.issuer}/auth?client_id=${client.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`);
      expect(authorization.status).toBe(503);
      expect(authorization.headers.get('retry-after')).toMatch(/^\d+$/);

      const page = await browser.get(new URL(consent.url).pathname);
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await page.text()).toContain('ただいまご利用いただけません');
    } finally {
      running.redis = await startRedisServer(running.redis.port);
    }
  });
});
