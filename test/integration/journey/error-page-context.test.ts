import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { csrfOf } from '../../support/browserless.js';
import { createCustomer, REDIRECT_URI, type TestClient } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { authorize, ClientBrowser, land, post, registerPartner, startJourneyServer, uidPath, type Page } from './journey-kit.js';
import { returnForm } from './no-dead-ends-kit.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startJourneyServer({ throttle: { failuresPerIp: 2, windowSeconds: 120 } });
  client = await registerPartner(server);
});
afterAll(() => server.close());

async function oversized(browser: ClientBrowser, page: Page): Promise<Page> {
  const body = new URLSearchParams({ csrf: csrfOf(page.html), padding: 'a'.repeat(9 * 1024) }).toString();
  return land(browser, await browser.request(`${uidPath(page)}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
}

describe('error pages of an interaction (SPEC §3: no dead ends)', () => {
  it('a refused form’s page shows the contact and 連携先に戻る with the error, state and iss', async () => {
    const { browser, page, state } = await authorize(server, client);
    const refused = await oversized(browser, page);
    expect(refused.response.status).toBe(413);
    expect(refused.html).toContain('0120-000-000');
    expect(returnForm(refused.html)).toEqual({ method: 'get', action: REDIRECT_URI, fields: { error: 'invalid_request', state, iss: server.issuer }, label: '連携先に戻る' });
  });

  it('in English when the interaction is', async () => {
    const { browser, page } = await authorize(server, client, { extra: { ui_locales: 'en' } });
    const refused = await land(browser, await browser.post(`${uidPath(page)}/login`, { csrf: csrfOf(page.html) }, { 'sec-fetch-site': 'cross-site' }));
    expect(refused.response.status).toBe(403);
    expect(refused.html).toContain('<html lang="en">');
    expect(refused.html).toContain('Renkei Credit Union');
    expect(returnForm(refused.html)?.label).toBe('Return to テスト家計簿アプリ');
  });

  it('the per-IP 429 carries Retry-After, the contact and 連携先に戻る with temporarily_unavailable', async () => {
    const customer = await createCustomer(server);
    const browser = new ClientBrowser(server.issuer);
    const { page, state } = await authorize(server, client, { browser });
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await land(browser, await post(browser, page, 'login', { login_id: customer.loginId, password: 'wrong password' }))).response.status).toBe(401);
    }
    const throttled = await land(browser, await post(browser, page, 'login', { login_id: customer.loginId, password: customer.password }));
    expect(throttled.response.status).toBe(429);
    expect(throttled.response.headers.get('retry-after')).toBe('120');
    expect(throttled.html).toContain('0120-000-000');
    expect(returnForm(throttled.html)?.fields).toEqual({ error: 'temporarily_unavailable', state, iss: server.issuer });
  });
});
