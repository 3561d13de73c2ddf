/**
 * Post/Redirect/Get on the screens' forms: a form answered with a page (a wrong password, the
 * digits again) redirects to the interaction's address, which shows that page once; Back to it or
 * a reload is a plain GET of the step, so nothing is posted again and no failure counted again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { redisKeys } from '../../../src/storage/redis-keys.js';
import { authorize, errorMessageOf, land, post, postAndLand, registerPartner, startJourneyServer, titleOf, uidOf, uidPath } from './journey-kit.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startJourneyServer();
  client = await registerPartner(server);
});
afterAll(() => server.close());

const WRONG = 'ログインIDまたはログインパスワードが正しくありません。';

describe('a form answered with a page (Post/Redirect/Get)', () => {
  it('a wrong password: 303 to the interaction, whose GET shows the page once (401, the message, the login ID kept); a reload shows the step again and counts nothing', async () => {
    const customer = await createCustomer(server);
    const { browser, page } = await authorize(server, client);
    const answered = await post(browser, page, 'login', { login_id: customer.loginId, password: 'wrong password' });
    expect(answered.status).toBe(303);
    const location = answered.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${uidPath(page)}\\?shown=[A-Za-z0-9_-]{16}$`));
    const shown = await land(browser, answered);
    expect(shown.response.status).toBe(401);
    expect(errorMessageOf(shown.html)).toBe(WRONG);
    expect(shown.html).toContain(`value="${customer.loginId}"`);
    expect(shown.response.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(await server.app.lockout.failuresSinceSuccess(customer.sub)).toBe(1);

    // reload (or Back to it): the login step as it is, no message, nothing sent again
    const reloaded = await land(browser, await browser.get(location));
    expect([reloaded.response.status, titleOf(reloaded.html), errorMessageOf(reloaded.html)]).toEqual([200, 'API連携認証（利用登録）', undefined]);
    expect(await server.app.lockout.failuresSinceSuccess(customer.sub)).toBe(1);

    // and the flow goes on from there
    const digits = await postAndLand(browser, reloaded, 'login', { login_id: customer.loginId, password: customer.password });
    expect(titleOf(digits.html)).toBe('API連携認証（利用登録）（利用者番号認証）');
    const wrongDigits = Object.fromEntries(Object.entries(digitsFor(customer, digits.html)).map(([name, digit]) => [name, String((Number(digit) + 1) % 10)]));
    const refused = await postAndLand(browser, digits, 'digits', wrongDigits);
    expect([refused.response.status, errorMessageOf(refused.html)]).toEqual([401, '入力された利用者番号が正しくありません。']);
  });

  it('keeps one page per interaction, the last: forms sent again and again pile nothing up; a HEAD does not take it', async () => {
    const customer = await createCustomer(server);
    const { browser, page } = await authorize(server, client);
    const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    const slips = Object.fromEntries(Object.keys(digitsFor(customer, digits.html)).map((name) => [name, 'x']));
    const locations: string[] = [];
    for (let i = 0; i < 5; i++) locations.push((await post(browser, digits, 'digits', slips)).headers.get('location')!);
    const kept = await server.app.store.kv.get(redisKeys.interactionShownPage(uidOf(digits)));
    expect(JSON.parse(kept!).id).toBe(new URL(locations[4]!, server.issuer).searchParams.get('shown'));
    // an earlier address shows the step as it stands; a HEAD of the last leaves its page for the GET
    const earlier = await land(browser, await browser.get(locations[0]!));
    expect([earlier.response.status, errorMessageOf(earlier.html)]).toEqual([200, undefined]);
    expect((await browser.request(locations[4]!, { method: 'HEAD' })).status).toBe(200);
    const last = await land(browser, await browser.get(locations[4]!));
    expect([last.response.status, errorMessageOf(last.html)]).toEqual([400, '各欄に数字を1桁ずつ入力してください。']);
    expect(await server.app.store.kv.get(redisKeys.interactionShownPage(uidOf(digits)))).toBeUndefined();
  });

  it('shows a kept page only at its own interaction’s address', async () => {
    const customer = await createCustomer(server);
    const first = await authorize(server, client);
    const answered = await post(first.browser, first.page, 'login', { login_id: customer.loginId, password: 'wrong password' });
    const shown = new URL(answered.headers.get('location')!, server.issuer).search;
    const other = await authorize(server, client, { browser: first.browser });
    const elsewhere = await land(other.browser, await other.browser.get(`${uidPath(other.page)}${shown}`));
    expect([elsewhere.response.status, errorMessageOf(elsewhere.html)]).toEqual([200, undefined]);
  });
});
