/**
 * The answers this product gives to what a browser sends but cannot be used, in a real browser on a
 * 390×844 phone, in Japanese and English: a 許可する or ログアウト form that cannot be read (the
 * screen again, with its message), the logout pages in the browser's language, and headers over
 * the limit (the error page, in Japanese: the request's language was never read). Each passes
 * axe-core and is saved under test-output/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEXTS } from '../../interactions/i18n.js';
import { projectRoot } from '../../src/settings/project-root.js';
import { gotoServer, launchChromium, screenshot } from '../support/browser.js';
import { Browserless, csrfOf, positionsOf } from '../support/browserless.js';
import { digitsFor } from '../support/journey.js';
import { createCustomer, type TestClient } from '../support/oauth-fixtures.js';
import type { TestServer } from '../support/test-server.js';
import { authorize, ClientBrowser, postAndLand, registerPartner, startJourneyServer } from '../integration/journey/journey-kit.js';

const AXE_SOURCE = readFileSync(join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };

let server: TestServer;
let client: TestClient;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startJourneyServer(), launchChromium()]);
  client = await registerPartner(server);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function phoneIn(locale: 'ja' | 'en', cookies: Browserless | undefined = undefined): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: PHONE, locale: locale === 'ja' ? 'ja-JP' : 'en-GB' });
  if (cookies) await context.addCookies([...cookies.cookies].map(([name, value]) => ({ name, value, url: server.issuer })));
  return context;
}

async function check(page: Page, lang: string, name: string): Promise<void> {
  expect(await page.locator('html').getAttribute('lang')).toBe(lang);
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ' @ ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  expect(violations).toEqual([]);
  await screenshot(page, name);
}

/** Submits `formSelector` with its CSRF field given twice (a form that cannot be read), by its button. */
async function submitRepeated(page: Page, formSelector: string, button: string): Promise<number> {
  // the page runs no script of its own: this is the test's, in the page (a string: no DOM types here)
  await page.evaluate(`(() => { const form = document.querySelector(${JSON.stringify(formSelector)}); form.appendChild(form.querySelector('input[name=csrf]').cloneNode()); })()`);
  // the page the form led to, after the redirect a form answered with a page gets (Post/Redirect/Get)
  const answered = page.waitForResponse((response) => response.request().isNavigationRequest() && (response.status() < 300 || response.status() >= 400));
  await page.locator(`${formSelector} button[type=submit]`).filter({ hasText: button }).click();
  const response = await answered;
  await page.waitForLoadState();
  return response.status();
}

describe.each(['ja', 'en'] as const)('forms and pages in %s on a phone', (locale) => {
  const t = TEXTS[locale];
  const shot = (name: string) => `refused-${locale}-phone-${name}`;

  it('a 許可する form that cannot be read: the consent screen again, with its message', async () => {
    const customer = await createCustomer(server);
    const started = await authorize(server, client, { extra: { ui_locales: locale } });
    const digits = await postAndLand(started.browser, started.page, 'login', { login_id: customer.loginId, password: customer.password });
    const additional = await postAndLand(started.browser, digits, 'digits', digitsFor(customer, digits.html));
    const consent = await postAndLand(started.browser, additional, 'additional', { answer: customer.answer });
    expect(consent.html).toContain(t.consent.title);

    const page = await (await phoneIn(locale, started.browser)).newPage();
    await gotoServer(page, consent.url);
    expect(await submitRepeated(page, '#step-form', t.consent.allow)).toBe(400);
    expect(await page.title()).toBe(t.consent.title);
    expect(await page.getByRole('alert').innerText()).toBe(t.unreadable);
    await check(page, locale, shot('consent'));
    await page.context().close();
  });

  it('a 連携サービス管理 form that cannot be read: the list again, with its message', async () => {
    const customer = await createCustomer(server);
    const signIn = new ClientBrowser(server.issuer);
    let html = await (await signIn.get(`/account/connections?ui_locales=${locale}`)).text();
    await signIn.post(`/account/connections/login?ui_locales=${locale}`, { csrf: csrfOf(html), login_id: customer.loginId, password: customer.password });
    html = await (await signIn.get(`/account/connections?ui_locales=${locale}`)).text();
    await signIn.post(`/account/connections/digits?ui_locales=${locale}`, { csrf: csrfOf(html), ...Object.fromEntries(positionsOf(html).map((p) => [`digit_${p}`, customer.userNumber[p - 1]!])) });

    const page = await (await phoneIn(locale, signIn)).newPage();
    await gotoServer(page, `${server.issuer}/account/connections?ui_locales=${locale}`);
    expect(await page.title()).toBe(t.connections.title);
    expect(await submitRepeated(page, 'form[action^="/account/connections/logout"]', t.connections.logout)).toBe(400);
    expect(await page.title()).toBe(t.connections.title);
    expect(await page.getByRole('alert').innerText()).toBe(t.unreadable);
    await check(page, locale, shot('connections'));
    await page.context().close();
  });

  it("the logout page in the browser's language", async () => {
    const page = await (await phoneIn(locale)).newPage();
    await gotoServer(page, `${server.issuer}/session/end/success`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(locale === 'ja' ? 'ログアウト' : 'Log out');
    await check(page, locale, shot('logged-out'));
    await page.context().close();
  });

  it('request headers over the limit: the error page (in Japanese), not a blank page', async () => {
    const context = await phoneIn(locale);
    // the page's own request is too large; its stylesheet's is not
    await context.route('**/*', (route) =>
      route.continue({ headers: { ...route.request().headers(), ...(route.request().resourceType() === 'document' ? { 'x-big': 'b'.repeat(20_000) } : {}) } }));
    const page = await context.newPage();
    await gotoServer(page, `${server.issuer}/auth?client_id=${client.clientId}`);
    expect(await page.title()).toBe('API連携を続けられません');
    expect(await page.getByRole('alert').innerText()).toContain('リクエストの内容に誤りがあるため');
    await check(page, 'ja', shot('headers-too-large'));
    await context.close();
  });
});
