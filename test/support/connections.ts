import { expect } from '@jest/globals';
import { Browserless, csrfOf, positionsOf } from './browserless.js';
import type { TestCustomer } from './oauth-fixtures.js';

/** Signs in to 連携サービス管理 with the customer's password and digits; the list page it lands on. */
export async function logIntoConnections(issuer: string, customer: TestCustomer, browser = new Browserless(issuer)): Promise<{ browser: Browserless; html: string }> {
  let html = await (await browser.get('/account/connections')).text();
  expect(html).toContain('<title>連携サービス管理</title>');
  let answer = await browser.post('/account/connections/login', { csrf: csrfOf(html), login_id: customer.loginId, password: customer.password });
  expect(answer.status).toBe(303);
  html = await (await browser.get('/account/connections')).text();
  const digits = Object.fromEntries(positionsOf(html).map((p) => [`digit_${p}`, customer.userNumber[p - 1]!]));
  answer = await browser.post('/account/connections/digits', { csrf: csrfOf(html), ...digits });
  expect(answer.status).toBe(303);
  return { browser, html: await (await browser.get('/account/connections')).text() };
}
