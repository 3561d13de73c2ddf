import { expect } from '@jest/globals';
import { Browserless, startAuthorization } from '../../support/browserless.js';
import { submit, type Landing } from '../../support/journey.js';
import { digitsFor } from '../../support/journey.js';
import { basicAuth, createCustomer, postForm, REDIRECT_URI, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';

/** A customer with these accounts registered in the directory (as operators do with the CLI). */
export async function customerWithAccounts(server: TestServer, count: number): Promise<TestCustomer & { accountIds: string[] }> {
  const customer = await createCustomer(server);
  const accountIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const account = await server.app.directoryAccounts.add(customer.sub, { type: i % 2 ? '貯蓄' : '普通', branch: '001', number: `${1234500 + i}`, nickname: `口座${i + 1}` });
    accountIds.push(account.account_id);
  }
  return { ...customer, accountIds };
}

/** Login, digits and (when asked) the additional question: the page after them (consent, or the partner). */
export async function throughLogin(browser: Browserless, landing: { response: Response; url: string }, customer: TestCustomer): Promise<Landing> {
  let page: Landing = { ...landing, html: await landing.response.text() };
  expect(page.html).toContain('<title>API連携認証（利用登録）</title>');
  page = await submit(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
  page = await submit(browser, page, 'digits', digitsFor(customer, page.html));
  if (page.html.includes('追加認証入力')) page = await submit(browser, page, 'additional', { answer: customer.answer });
  return page;
}

/** The consent form's checkbox field for each of these accounts (as a browser sends ticked boxes). */
export function tick(html: string, accountIds: readonly string[]): Record<string, string> {
  const boxes = [...html.matchAll(/<input type="checkbox" id="[^"]+" name="([^"]+)" value="([^"]+)"/g)].map((m) => [m[1]!, m[2]!] as const);
  return Object.fromEntries(boxes.filter(([, value]) => accountIds.includes(value)));
}

export interface AuthorizedCode {
  readonly code: string | null;
  readonly verifier: string;
  readonly consent: Landing;
  readonly callback: URL;
}

/** An authorization request through the screens, choosing these accounts at consent. */
export async function authorizeChoosing(server: TestServer, client: TestClient, customer: TestCustomer, accountIds: readonly string[], extra: Record<string, string> = {}, scope = 'openid accounts'): Promise<AuthorizedCode> {
  const start = await startAuthorization(server.issuer, client, { scope, extra: { prompt: 'consent', ...extra } });
  const consent = await throughLogin(start.browser, start.landing, customer);
  expect(consent.html).toContain('API連携認証（情報連携認可）');
  const end = await submit(start.browser, consent, 'consent', tick(consent.html, accountIds));
  const callback = new URL(end.url);
  return { code: callback.searchParams.get('code'), verifier: start.verifier, consent, callback };
}

export async function redeem(server: TestServer, client: TestClient, code: string, verifier: string, extra: Record<string, string> = {}) {
  return postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, ...extra }, { authorization: basicAuth(client) });
}

export async function introspect(server: TestServer, client: TestClient, token: string) {
  return postForm(`${server.issuer}/token/introspection`, { token }, { authorization: basicAuth(client) });
}

export async function refresh(server: TestServer, client: TestClient, refreshToken: string, extra: Record<string, string> = {}) {
  return postForm(`${server.issuer}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, { authorization: basicAuth(client) });
}
