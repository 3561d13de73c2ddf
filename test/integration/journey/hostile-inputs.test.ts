import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { csrfOf, positionsOf } from '../../support/browserless.js';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import {
  auditEvents,
  authorize,
  ClientBrowser,
  errorMessageOf,
  expectNoInternals,
  expectPageHeaders,
  land,
  postAndLand,
  registerPartner,
  startJourneyServer,
  TEXT,
  titleOf,
  uidPath,
  type Page,
} from './journey-kit.js';

let server: TestServer;
let client: TestClient;
let customer: TestCustomer;
beforeAll(async () => {
  server = await startJourneyServer();
  client = await registerPartner(server);
  customer = await createCustomer(server);
});
afterAll(() => server.close());

const encode = (fields: [string, string][]) => fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

/** POSTs a raw body to the login step of the page's interaction. */
async function rawLogin(browser: ClientBrowser, page: Page, body: string | Uint8Array, contentType: string | undefined): Promise<Page> {
  const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  return land(browser, await browser.request(`${uidPath(page)}/login`, { method: 'POST', headers, body: body as RequestInit['body'] }));
}

/** The login form's own error: the login screen again, the generic message, a 4xx, nothing internal, not logged in. */
function expectFormRefused(page: Page): void {
  expect(page.response.status).toBeGreaterThanOrEqual(400);
  expect(page.response.status).toBeLessThan(500);
  expectPageHeaders(page.response, page.html);
  expectNoInternals(page.html);
  expect(titleOf(page.html)).toBe(TEXT.loginTitle);
  expect(errorMessageOf(page.html)).toBe(TEXT.generic);
  expect(positionsOf(page.html)).toEqual([]);
}

describe('hostile input to the login form (SPEC §4)', () => {
  const FORM = 'application/x-www-form-urlencoded';
  let browser: ClientBrowser;
  let login: Page;
  let csrf: string;
  beforeAll(async () => {
    ({ browser, page: login } = await authorize(server, client));
    csrf = csrfOf(login.html);
  });

  const cases: [string, () => [string | Uint8Array, string | undefined]][] = [
    ['login_id twice (a decoy first)', () => [encode([['csrf', csrf], ['login_id', 'decoy'], ['login_id', customer.loginId], ['password', customer.password]]), FORM]],
    ['login_id twice (the real one first)', () => [encode([['csrf', csrf], ['login_id', customer.loginId], ['login_id', 'decoy'], ['password', customer.password]]), FORM]],
    ['password twice', () => [encode([['csrf', csrf], ['login_id', customer.loginId], ['password', 'wrong'], ['password', customer.password]]), FORM]],
    ['a NUL in the login ID', () => [encode([['csrf', csrf], ['login_id', `${customer.loginId}\u0000`], ['password', customer.password]]), FORM]],
    ['a line feed in the login ID', () => [encode([['csrf', csrf], ['login_id', `${customer.loginId}\nx`], ['password', customer.password]]), FORM]],
    ['a control character in the password', () => [encode([['csrf', csrf], ['login_id', customer.loginId], ['password', `${customer.password}\u0007`]]), FORM]],
    ['a zero-width space in the login ID', () => [encode([['csrf', csrf], ['login_id', `${customer.loginId.slice(0, 3)}\u200b${customer.loginId.slice(3)}`], ['password', customer.password]]), FORM]],
    ['a byte-order mark before the login ID', () => [encode([['csrf', csrf], ['login_id', `\ufeff${customer.loginId}`], ['password', customer.password]]), FORM]],
    ['a bidi override in the login ID', () => [encode([['csrf', csrf], ['login_id', `${customer.loginId}\u202e`], ['password', customer.password]]), FORM]],
    ['percent-encoded invalid UTF-8', () => [`${encode([['csrf', csrf], ['password', customer.password]])}&login_id=${encodeURIComponent(customer.loginId)}%FF%FE`, FORM]],
    [
      'raw invalid UTF-8 bytes',
      () => [Buffer.concat([Buffer.from(`${encode([['csrf', csrf], ['password', customer.password]])}&login_id=${customer.loginId}`), Buffer.from([0xc3, 0x28])]), FORM],
    ],
    // (a body over its limit is a 413 error page: oversized-forms.test.ts)
    ['a JSON body', () => [JSON.stringify({ csrf, login_id: customer.loginId, password: customer.password }), 'application/json']],
    ['a form body labelled text/plain', () => [encode([['csrf', csrf], ['login_id', customer.loginId], ['password', customer.password]]), 'text/plain']],
    // (a byte body, so that fetch adds no content type of its own)
    ['no content type', () => [Buffer.from(encode([['csrf', csrf], ['login_id', customer.loginId], ['password', customer.password]])), undefined]],
    [
      'multipart/form-data',
      () => {
        const boundary = 'renkeiboundary';
        const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
        return [`${part('csrf', csrf)}${part('login_id', customer.loginId)}${part('password', customer.password)}--${boundary}--\r\n`, `multipart/form-data; boundary=${boundary}`];
      },
    ],
  ];

  for (const [name, build] of cases) {
    it(`refuses ${name} with the form's error message`, async () => {
      const [body, contentType] = build();
      expectFormRefused(await rawLogin(browser, login, body, contentType));
    });
  }

  it('does not reflect markup typed into the login ID', async () => {
    const page = await postAndLand(browser, login, 'login', { login_id: '<script>alert(1)</script>"><img src=x>', password: 'wrong password' });
    expect(page.response.status).toBe(401);
    expect(errorMessageOf(page.html)).toBe(TEXT.generic);
    expect(page.html).not.toMatch(/<script|<img/i);
  });

  it('leaves the interaction usable: the clean form still logs in, and nobody was logged in before', async () => {
    expect(auditEvents(server, 'login.success', { sub: customer.sub })).toEqual([]);
    const digits = await postAndLand(browser, login, 'login', { login_id: customer.loginId, password: customer.password });
    expect(digits.response.status).toBe(200);
    expect(positionsOf(digits.html)).toHaveLength(3);

    // the digit form is parsed as strictly: a repeated field is refused with its own message
    const positions = positionsOf(digits.html);
    const right = digitsFor(customer, digits.html);
    const repeated = `${encode([['csrf', csrf], ...Object.entries(right)])}&digit_${positions[0]}=${right[`digit_${positions[0]}`]}`;
    const refused = await land(
      browser,
      await browser.request(`${uidPath(digits)}/digits`, { method: 'POST', headers: { 'content-type': FORM }, body: repeated }),
    );
    expect(refused.response.status).toBeGreaterThanOrEqual(400);
    expect(refused.response.status).toBeLessThan(500);
    expect(errorMessageOf(refused.html)).toBe('入力された利用者番号が正しくありません。');
    expect(positionsOf(refused.html)).toEqual(positions);
    expectNoInternals(refused.html);

    const next = await postAndLand(browser, refused, 'digits', right);
    expect(next.html).toContain('追加認証入力');
  });
});
