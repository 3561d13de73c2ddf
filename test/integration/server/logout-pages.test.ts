import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browserless } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { createCustomer, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  client = await registerClient(server);
});
afterAll(() => server.close());

const langOf = (html: string) => /<html lang="([a-z]+)">/.exec(html)?.[1];
const headingOf = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

/** A browser with a session at the provider: the logout page asks before it ends it. */
async function signedIn(): Promise<Browserless> {
  return (await completeJourney(server.issuer, client, await createCustomer(server))).browser;
}

async function logoutPage(browser: Browserless, query: string, headers: Record<string, string> = {}) {
  const response = await browser.request(`/session/end${query}`, { headers });
  expect(response.status).toBe(200);
  const html = await response.text();
  return { lang: langOf(html), heading: headingOf(html), html };
}

describe('RP-initiated logout pages: the language as on every other page (ui_locales, else Accept-Language, else Japanese)', () => {
  it('asks in Japanese by default', async () => {
    const page = await logoutPage(await signedIn(), '');
    expect([page.lang, page.heading]).toEqual(['ja', 'ログアウト']);
    expect(page.html).toContain('<p>ログアウトしますか？</p>');
  });

  it("asks in the browser's language", async () => {
    const page = await logoutPage(await signedIn(), '', { 'accept-language': 'en-US,en;q=0.9' });
    expect([page.lang, page.heading]).toEqual(['en', 'Sign out']);
    expect(page.html).toContain('<p>Do you want to sign out?</p>');
  });

  it('lets ui_locales choose over the browser', async () => {
    const browser = await signedIn();
    expect((await logoutPage(browser, '?ui_locales=ja', { 'accept-language': 'en' })).lang).toBe('ja');
    expect((await logoutPage(browser, '?ui_locales=en', { 'accept-language': 'ja' })).lang).toBe('en');
  });

  it("says it is done in the browser's language", async () => {
    const response = await fetch(`${server.issuer}/session/end/success`, { headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect([langOf(html), headingOf(html)]).toEqual(['en', 'Sign out']);
    expect(html).toContain('<p>You have signed out.</p>');
  });
});
