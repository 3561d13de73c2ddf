/**
 * Failed client authentication and invalid grants are counted per client and per IP in Redis
 * (SPEC §5); over budget the endpoints answer 429 too_many_requests with Retry-After before they
 * look at the request's credentials or grant. Small budgets, client IPs from X-Forwarded-For
 * (server.trustProxy), two instances on the run's Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt, randomUUID } from 'node:crypto';
import { basicAuth, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { sleep } from '../fapi/fapi-kit.js';

const PER_CLIENT = 3;
const PER_IP = 6;
const budget = (windowSeconds: number, failuresPerClient = PER_CLIENT) => ({
  server: { trustProxy: true },
  clientThrottle: { failuresPerClient, failuresPerIp: PER_IP, windowSeconds },
});

let first: TestServer;
let second: TestServer;
beforeAll(async () => {
  [first, second] = await Promise.all([startTestServer({ config: budget(60) }), startTestServer({ config: budget(60) })]);
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
});

/** A client IP of its own for each use, so that no test spends another's budget. */
const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

type Answer = Awaited<ReturnType<typeof postForm>>;
const unknownCode = () => ({ grant_type: 'authorization_code', code: randomUUID(), code_verifier: 'v'.repeat(43), redirect_uri: REDIRECT_URI });

function token(server: TestServer, ip: string, form: Record<string, string>, client?: TestClient): Promise<Answer> {
  return postForm(`${server.issuer}/token`, form, { 'x-forwarded-for': ip, ...(client?.clientSecret ? { authorization: basicAuth(client) } : {}) });
}

function expectRefused(response: Answer, windowSeconds: number): void {
  expect([response.status, response.json.error]).toEqual([429, 'too_many_requests']);
  expect(response.json.error_description).toMatch(/retry after \d+ seconds/);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds).toBe(true);
}

async function failGrants(server: TestServer, ip: string, client: TestClient, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const response = await token(server, ip, { ...unknownCode(), ...(client.clientSecret ? {} : { client_id: client.clientId }) }, client);
    expect([response.status, response.json.error]).toEqual([400, 'invalid_grant']);
  }
}

describe('invalid grants, per client', () => {
  it(`refuses a client after ${PER_CLIENT} invalid grants, from any IP and on every instance; another client at the same IP is unaffected`, async () => {
    const [alice, bob] = await Promise.all([registerClient(first), registerClient(first)]);
    const ip = freshIp();
    await failGrants(first, ip, alice, PER_CLIENT);

    expectRefused(await token(first, ip, unknownCode(), alice), 60);
    // the count lives in Redis: the other instance, and another IP, see it
    expectRefused(await token(second, freshIp(), unknownCode(), alice), 60);
    // a good code is not even looked at while the client is over budget
    const { code, verifier } = await issueCode(first, alice, await seedCustomer(first));
    expectRefused(await token(second, freshIp(), { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, alice), 60);

    const other = await token(first, ip, unknownCode(), bob);
    expect([other.status, other.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('charges a public client (nothing proven) at the IP that failed only', async () => {
    const publicClient = await registerClient(first, { isPublic: true });
    const ip = freshIp();
    await failGrants(first, ip, publicClient, PER_CLIENT);
    expectRefused(await token(first, ip, { ...unknownCode(), client_id: publicClient.clientId }), 60);
    const elsewhere = await token(second, freshIp(), { ...unknownCode(), client_id: publicClient.clientId });
    expect([elsewhere.status, elsewhere.json.error]).toEqual([400, 'invalid_grant']);
  });
});

describe('failed client authentication', () => {
  it('charges a wrong secret to that client at that IP: refused there even with the right secret, not from elsewhere', async () => {
    const carol = await registerClient(first);
    const ip = freshIp();
    const wrong = { clientId: carol.clientId, clientSecret: 'not-the-secret' };
    for (let i = 0; i < PER_CLIENT; i++) {
      const response = await token(first, ip, unknownCode(), wrong);
      expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
    }
    expectRefused(await token(second, ip, unknownCode(), carol), 60);
    const elsewhere = await token(second, freshIp(), unknownCode(), carol);
    expect([elsewhere.status, elsewhere.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('charges a client assertion that cannot be read to the client it names, at that IP', async () => {
    const erin = await registerClient(first);
    const ip = freshIp();
    const unreadable = { ...unknownCode(), client_id: erin.clientId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: 'not-a-jwt' };
    for (let i = 0; i < PER_CLIENT; i++) {
      const response = await token(first, ip, unreadable);
      expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
    }
    expectRefused(await token(second, ip, unknownCode(), erin), 60);
    const elsewhere = await token(second, freshIp(), unknownCode(), erin);
    expect([elsewhere.status, elsewhere.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('counts a failure whatever the client accepts: an API error stays JSON with Accept: text/html', async () => {
    const dave = await registerClient(first);
    const ip = freshIp();
    for (let i = 0; i < PER_CLIENT; i++) {
      const response = await postForm(`${first.issuer}/token`, unknownCode(), {
        'x-forwarded-for': ip, accept: 'text/html', authorization: basicAuth({ clientId: dave.clientId, clientSecret: 'not-the-secret' }),
      });
      expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    }
    expectRefused(await token(first, ip, unknownCode(), dave), 60);
  });

  it(`refuses an IP after ${PER_IP} failures at the token, PAR, introspection and revocation endpoints, whichever client it names; other IPs are unaffected`, async () => {
    const dave = await registerClient(first);
    const ip = freshIp();
    const endpoints = ['token', 'request', 'token/introspection', 'token/revocation'];
    for (let i = 0; i < PER_IP; i++) {
      // no client authentication, or a client that does not exist: nothing to charge but the IP
      const form: Record<string, string> = i % 2 ? { token: 'x', client_id: `nobody-${i}`, client_secret: 'x' } : { token: 'x' };
      const response = await postForm(`${first.issuer}/${endpoints[i % endpoints.length]}`, form, { 'x-forwarded-for': ip });
      expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
    }
    expectRefused(await token(second, ip, unknownCode(), dave), 60);
    const refusedIntrospection = await postForm(`${first.issuer}/token/introspection`, { token: 'x' }, { 'x-forwarded-for': ip, authorization: basicAuth(dave) });
    expectRefused(refusedIntrospection, 60);

    const elsewhere = await token(first, freshIp(), unknownCode(), dave);
    expect([elsewhere.status, elsewhere.json.error]).toEqual([400, 'invalid_grant']);
  });
});

describe('the window (clientThrottle.windowSeconds 2)', () => {
  let short: TestServer;
  beforeAll(async () => {
    short = await startTestServer({ config: budget(2, 2) });
  });
  afterAll(() => short.close());

  it('answers again once Retry-After has passed, and a code refused meanwhile was never consumed', async () => {
    const erin = await registerClient(short);
    const ip = freshIp();
    const { code, verifier } = await issueCode(short, erin, await seedCustomer(short));
    const redeem = () => token(short, ip, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, erin);
    await failGrants(short, ip, erin, 2);

    const refused = await redeem();
    expectRefused(refused, 2);
    await sleep(Number(refused.headers.get('retry-after')) * 1000 + 200);

    const redeemed = await redeem();
    expect([redeemed.status, redeemed.json.error, redeemed.json.token_type]).toEqual([200, undefined, 'Bearer']);
  });
});
