import { expect } from '@jest/globals';
import { Browserless, csrfOf, interactionPath, positionsOf, startAuthorization } from './browserless.js';
import type { TestClient, TestCustomer } from './oauth-fixtures.js';

/** The digits a customer types for the positions a page asks. */
export function digitsFor(customer: Pick<TestCustomer, 'userNumber'>, html: string): Record<string, string> {
  return Object.fromEntries(positionsOf(html).map((p) => [`digit_${p}`, customer.userNumber[p - 1]!]));
}

export interface Landing {
  readonly response: Response;
  readonly url: string;
  readonly html: string;
}

async function land(browser: Browserless, response: Response): Promise<Landing> {
  const followed = await browser.follow(response);
  const html = followed.response.status === 200 || followed.response.status >= 400 ? await followed.response.text() : '';
  return { response: followed.response, url: followed.url, html };
}

/** Submits one step's form from the page it is on. */
export async function submit(browser: Browserless, page: Landing, step: string, fields: Record<string, string>): Promise<Landing> {
  const path = `${interactionPath(page.url)}/${step}`;
  return land(browser, await browser.post(path, { csrf: csrfOf(page.html), ...fields }));
}

export interface JourneyResult {
  readonly browser: Browserless;
  readonly verifier: string;
  readonly state: string;
  readonly pages: Record<string, Landing>;
  /** where the journey ended: the partner's redirect_uri (or an error page) */
  readonly end: Landing;
}

/**
 * Walks the screens as a customer: login, digits, the additional question when asked, consent
 * when asked. Asserts each screen is the expected one by its title.
 */
export async function completeJourney(
  origin: string,
  client: TestClient,
  customer: TestCustomer,
  { scope = 'openid accounts', extra = {}, browser }: { scope?: string; extra?: Record<string, string>; browser?: Browserless } = {},
): Promise<JourneyResult> {
  const start = await startAuthorization(origin, client, { scope, extra, ...(browser ? { browser } : {}) });
  const { pages, end } = await walkScreens(start.browser, start.landing, customer);
  return { browser: start.browser, verifier: start.verifier, state: start.state, pages, end };
}

/** From wherever an authorization request landed, through the screens as the customer. */
export async function walkScreens(
  browser: Browserless,
  landing: { response: Response; url: string },
  customer: TestCustomer,
): Promise<{ pages: Record<string, Landing>; end: Landing }> {
  const pages: Record<string, Landing> = {};
  let page: Landing = { ...landing, html: await landing.response.text() };
  pages.login = page;
  expect(page.html).toContain('<title>API連携認証（利用登録）</title>');
  page = await submit(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
  pages.digits = page;
  expect(page.html).toContain('利用者番号認証');
  page = await submit(browser, page, 'digits', digitsFor(customer, page.html));
  if (page.html.includes('追加認証入力')) {
    pages.additional = page;
    page = await submit(browser, page, 'additional', { answer: customer.answer });
  }
  if (page.html.includes('API連携認証（情報連携認可）')) {
    pages.consent = page;
    page = await submit(browser, page, 'consent', {});
  }
  return { pages, end: page };
}
