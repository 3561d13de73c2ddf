/**
 * A partner's name is the partner's to choose: one long word (a company name without spaces)
 * wraps on a 390×844 phone instead of pushing the page sideways, on the login and consent screens.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { gotoServer, launchChromium, screenshot } from '../support/browser.js';
import { digitsFor } from '../support/journey.js';
import { createCustomer, type TestClient } from '../support/oauth-fixtures.js';
import type { TestServer } from '../support/test-server.js';
import { authorize, postAndLand, registerPartner, startJourneyServer } from '../integration/journey/journey-kit.js';

const PHONE = { width: 390, height: 844 };
const LONG_NAME = 'SuperLongPartnerNameHouseholdBudgetAccountingServiceInternational株式会社テスト長い名前の連携先サービス';

let server: TestServer;
let client: TestClient;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startJourneyServer(), launchChromium()]);
  client = await registerPartner(server, { name: LONG_NAME });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** How far the page reaches past the phone's width (0: nothing to scroll sideways). */
const sideways = (page: Page) => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;

describe.each(['ja', 'en'] as const)('a long partner name on a phone (%s)', (locale) => {
  it('wraps on the login and consent screens: the page is no wider than the phone', async () => {
    const customer = await createCustomer(server);
    const started = await authorize(server, client, { extra: { ui_locales: locale } });
    const onPhone = async (url: string, name: string) => {
      const context = await browser.newContext({ viewport: PHONE, locale: locale === 'ja' ? 'ja-JP' : 'en-GB' });
      await context.addCookies([...started.browser.cookies].map(([cookie, value]) => ({ name: cookie, value, url: server.issuer })));
      const page = await context.newPage();
      await gotoServer(page, url);
      expect(await page.getByText(LONG_NAME).first().isVisible()).toBe(true);
      expect([name, await sideways(page)]).toEqual([name, 0]);
      await screenshot(page, `long-name-${locale}-phone-${name}`);
      await context.close();
    };
    await onPhone(started.page.url, 'login');
    const digits = await postAndLand(started.browser, started.page, 'login', { login_id: customer.loginId, password: customer.password });
    const additional = await postAndLand(started.browser, digits, 'digits', digitsFor(customer, digits.html));
    const consent = await postAndLand(started.browser, additional, 'additional', { answer: customer.answer });
    expect(consent.html).toContain(LONG_NAME);
    await onPhone(consent.url, 'consent');
  });
});
