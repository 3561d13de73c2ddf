/**
 * SPEC §4 lockout under a burst: requests sent all at once for one account are checked one at a
 * time (factor-checks.ts), each under the standing the ones before it left, so no more than
 * lockout.maxFailures guesses are ever verified as guesses before the account locks.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { auditEvents, authorize, post, postAndLand, registerPartner, startJourneyServer } from './journey-kit.js';

const MAX_FAILURES = 5;
const BURST = 12;

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startJourneyServer({ lockout: { maxFailures: MAX_FAILURES } });
  client = await registerPartner(server);
});
afterAll(() => server.close());

const reasons = (event: string, sub: string) => auditEvents(server, event, { sub }).map((line) => line.reason).sort();

describe('a burst of guesses at once (SPEC §4 lockout)', () => {
  it(`verifies at most ${MAX_FAILURES} wrong passwords before the lock, however many arrive together`, async () => {
    const customer = await createCustomer(server);
    const { browser, page } = await authorize(server, client);
    const answers = await Promise.all(Array.from({ length: BURST }, (_, i) => post(browser, page, 'login', { login_id: customer.loginId, password: `wrong-${i}` })));
    await Promise.all(answers.map((answer) => answer.text()));
    expect(reasons('login.failure', customer.sub)).toEqual([...Array(BURST - MAX_FAILURES).fill('account_locked'), ...Array(MAX_FAILURES).fill('wrong_password')]);
    expect((await server.app.customers.findBySub(customer.sub))?.status).toBe('locked');
  });

  it(`verifies at most ${MAX_FAILURES} wrong 利用者番号 answers before the lock`, async () => {
    const customer = await createCustomer(server);
    const { browser, page } = await authorize(server, client);
    const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    const right = digitsFor(customer, digits.html);
    const wrong = Object.fromEntries(Object.entries(right).map(([name, digit]) => [name, String((Number(digit) + 1) % 10)]));
    const answers = await Promise.all(Array.from({ length: BURST }, () => post(browser, digits, 'digits', wrong)));
    await Promise.all(answers.map((answer) => answer.text()));
    expect(reasons('digits.failure', customer.sub)).toEqual(Array(MAX_FAILURES).fill('wrong_digits'));
    expect((await server.app.customers.findBySub(customer.sub))?.status).toBe('locked');
  });
});
