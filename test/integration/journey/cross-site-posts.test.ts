import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browserless, callbackParams, csrfOf } from '../../support/browserless.js';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { isCrossSiteRequest } from '../../../interactions/form-checks/reject-cross-site-post.js';
import { auditEvents, authorize, expectNoInternals, land, post, registerPartner, startJourneyServer, titleOf, TEXT, type Page } from './journey-kit.js';

let server: TestServer;
let client: TestClient;
let customer: TestCustomer;
beforeAll(async () => {
  server = await startJourneyServer();
  client = await registerPartner(server);
  customer = await createCustomer(server);
});
afterAll(() => server.close());

const CROSS_SITE: [string, Record<string, string>][] = [
  ['an Origin of another site', { origin: 'https://evil.example' }],
  ['an Origin on another port of our host', { origin: 'http://127.0.0.1:1' }],
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
  ['Sec-Fetch-Site: cross-site with our own Origin', { 'sec-fetch-site': 'cross-site', origin: '' }],
];

const headersFor = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k === 'origin' && !v ? server.issuer : v]));

function expectRefusedPage(page: Page): void {
  expect(page.response.status).toBe(403);
  expect(page.response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.html).toContain('お問い合わせ番号');
  expectNoInternals(page.html);
}

describe('cross-site POSTs to the interaction (SPEC §4, CSRF in depth)', () => {
  for (const [name, headers] of CROSS_SITE) {
    it(`refuses ${name} with the error page despite valid cookies and CSRF token, and the step is not taken`, async () => {
      const { browser, page } = await authorize(server, client);
      const refused = await land(
        browser,
        await browser.post(`${new URL(page.url).pathname}/login`, { csrf: csrfOf(page.html), login_id: customer.loginId, password: customer.password }, headersFor(headers)),
      );
      expectRefusedPage(refused);
      expect(auditEvents(server, 'login.failure', { login_id: customer.loginId })).toEqual([]);
      // the interaction is untouched: the same form from our own page still works
      const digits = await land(browser, await post(browser, page, 'login', { login_id: customer.loginId, password: customer.password }));
      expect(digits.html).toContain('入力桁数の指定');
    });
  }

  it('refuses a cross-site 中止する and 許可する', async () => {
    const { browser, page, state } = await authorize(server, client);
    const digits = await land(browser, await post(browser, page, 'login', { login_id: customer.loginId, password: customer.password }));
    const additional = await land(browser, await post(browser, digits, 'digits', digitsFor(customer, digits.html)));
    const consent = await land(browser, await post(browser, additional, 'additional', { answer: customer.answer }));
    expect(titleOf(consent.html)).toBe(TEXT.consentTitle);
    const path = new URL(consent.url).pathname;
    for (const step of ['abort', 'consent']) {
      expectRefusedPage(await land(browser, await browser.post(`${path}/${step}`, { csrf: csrfOf(consent.html) }, { 'sec-fetch-site': 'cross-site' })));
    }
    const end = await land(browser, await browser.post(`${path}/consent`, { csrf: csrfOf(consent.html) }, { 'sec-fetch-site': 'same-origin', origin: 'null' }));
    expect(callbackParams(end.url).get('state')).toBe(state);
    expect(callbackParams(end.url).get('code')).toBeTruthy();
  });

  it('accepts our own posts: same-origin, our Origin, Origin: null (no-referrer pages) and no headers at all', async () => {
    const ownPosts: Record<string, string>[] = [{ 'sec-fetch-site': 'same-origin', origin: server.issuer }, { 'sec-fetch-site': 'same-origin', origin: 'null' }, { origin: server.issuer }, {}];
    for (const headers of ownPosts) {
      const { browser, page } = await authorize(server, client);
      const digits = await land(browser, await browser.post(`${new URL(page.url).pathname}/login`, { csrf: csrfOf(page.html), login_id: customer.loginId, password: customer.password }, headers));
      expect(digits.response.status).toBe(200);
      expect(digits.html).toContain('入力桁数の指定');
    }
  });
});

describe('cross-site POSTs to 連携サービス管理 (SPEC §3, §4)', () => {
  it('refuses every form posted from another site, even with the session’s CSRF token', async () => {
    const browser = new Browserless(server.issuer);
    let html = await (await browser.get('/account/connections')).text();
    for (const [, headers] of CROSS_SITE) {
      expectRefusedPage(await land(browser, await browser.post('/account/connections/login', { csrf: csrfOf(html), login_id: customer.loginId, password: customer.password }, headersFor(headers))));
    }
    expect((await browser.post('/account/connections/login', { csrf: csrfOf(html), login_id: customer.loginId, password: customer.password }, { 'sec-fetch-site': 'same-origin' })).status).toBe(303);
    html = await (await browser.get('/account/connections')).text();
    const crossDigits = (await browser.follow(await browser.post('/account/connections/digits', { csrf: csrfOf(html), ...digitsFor(customer, html) }, { origin: 'https://evil.example' }))).response;
    expect(crossDigits.status).toBe(403);
    expect((await browser.post('/account/connections/digits', { csrf: csrfOf(html), ...digitsFor(customer, html) }, { origin: server.issuer })).status).toBe(303);
    html = await (await browser.get('/account/connections')).text();
    for (const action of ['revoke/confirm', 'revoke', 'logout']) {
      const refused = (await browser.follow(await browser.post(`/account/connections/${action}`, { csrf: csrfOf(html), client_id: client.clientId }, { 'sec-fetch-site': 'cross-site' }))).response;
      expect(refused.status).toBe(403);
    }
    // still logged in: the refused logout did nothing
    expect(await (await browser.get('/account/connections')).text()).toContain('ログアウト');
  });
});

describe('isCrossSiteRequest', () => {
  const ours = 'https://auth.bank.example';
  it.each([
    [{}, false],
    [{ 'sec-fetch-site': 'same-origin' }, false],
    [{ 'sec-fetch-site': 'none' }, false],
    [{ origin: 'null' }, false],
    [{ origin: ours }, false],
    [{ 'sec-fetch-site': 'same-site' }, true],
    [{ 'sec-fetch-site': 'cross-site' }, true],
    [{ origin: 'https://www.bank.example' }, true],
    [{ origin: 'http://auth.bank.example' }, true],
    [{ origin: `${ours}.evil.example` }, true],
  ])('%j → %s', (headers, crossSite) => {
    expect(isCrossSiteRequest(headers, ours)).toBe(crossSite);
  });
});
