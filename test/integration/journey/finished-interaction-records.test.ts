import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { callbackParams } from '../../support/browserless.js';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { authorize, land, post, postAndLand, registerPartner, startJourneyServer, TEXT, titleOf, uidOf } from './journey-kit.js';

let server: TestServer;
let client: TestClient;
let redis: Redis;
beforeAll(async () => {
  server = await startJourneyServer();
  client = await registerPartner(server);
  redis = new Redis(process.env.RENKEI_TEST_REDIS_URL!, { lazyConnect: true });
  await redis.connect();
});
afterAll(async () => {
  redis.disconnect();
  await server.close();
});

/** Seconds the interaction's record `kind` has left (-2: there is none). */
const ttlOf = (uid: string, kind: 'progress' | 'consent') => redis.ttl(`renkei:{ix:${uid}}:${kind}`);

describe('what a finished interaction leaves in Redis', () => {
  it('drops the login and consent interactions’ progress and the consent claim as they finish', async () => {
    const customer = await createCustomer(server);
    const { browser, page: login } = await authorize(server, client);
    let current = await postAndLand(browser, login, 'login', { login_id: customer.loginId, password: customer.password });
    current = await postAndLand(browser, current, 'digits', digitsFor(customer, current.html));
    const beforeLast = current;
    expect(await ttlOf(uidOf(login), 'progress')).toBeGreaterThan(60);
    current = await postAndLand(browser, current, 'additional', { answer: customer.answer });
    expect(titleOf(current.html)).toBe(TEXT.consentTitle);
    expect(await ttlOf(uidOf(beforeLast), 'progress')).toBe(-2);

    const consent = current;
    expect(await ttlOf(uidOf(consent), 'progress')).toBeGreaterThan(60);
    const end = await land(browser, await post(browser, consent, 'consent', {}));
    expect(callbackParams(end.url).get('code')).toBeTruthy();
    expect(await ttlOf(uidOf(consent), 'progress')).toBe(-2);
    expect(await ttlOf(uidOf(consent), 'consent')).toBe(-2);
  });

  it('drops the progress of an interaction ended by 中止する', async () => {
    const { browser, page } = await authorize(server, client);
    expect(await ttlOf(uidOf(page), 'progress')).toBeGreaterThan(60);
    const response = await post(browser, page, 'abort', {});
    expect(response.status).toBe(303);
    expect(await ttlOf(uidOf(page), 'progress')).toBe(-2);
  });

  it('sends a form posted again after its interaction finished on to that interaction’s result, storing nothing', async () => {
    const customer = await createCustomer(server);
    const { browser, page: login } = await authorize(server, client);
    let current = await postAndLand(browser, login, 'login', { login_id: customer.loginId, password: customer.password });
    current = await postAndLand(browser, current, 'digits', digitsFor(customer, current.html));
    const first = await post(browser, current, 'additional', { answer: customer.answer });
    expect(first.status).toBe(303);
    const resume = first.headers.get('location')!;
    expect(new URL(resume, server.issuer).pathname).toBe(`/auth/${uidOf(current)}`);

    const again = await post(browser, current, 'additional', { answer: 'wrong answer' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(resume);
    const shown = await browser.get(`/interaction/${uidOf(current)}`);
    expect(shown.status).toBe(303);
    expect(shown.headers.get('location')).toBe(resume);
    expect(await ttlOf(uidOf(current), 'progress')).toBe(-2);
    expect(await server.app.lockout.failuresSinceSuccess(customer.sub)).toBe(0);
  });
});
