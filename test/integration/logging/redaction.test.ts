import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../src/shared/logger.js';
import { basicAuth, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer } from '../../support/oauth-fixtures.js';
import { LogCapture, startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ logLevel: 'trace' });
});
afterAll(() => server.close());

const SECRETS = {
  password: 'Pw-SECRET-7c1f',
  answer: 'ANSWER-SECRET-aa9',
  user_number: '98765432109',
  client_secret: 'CLIENT-SECRET-e02b',
  code_verifier: 'VERIFIER-SECRET-' + 'v'.repeat(40),
  refresh_token: 'REFRESH-SECRET-51d0',
  client_assertion: 'eyJhbGciOiJub25lIn0.ASSERTION-SECRET.',
  cookie: 'COOKIE-SECRET-88ee',
  dpop: 'DPOP-SECRET-proof',
  bearer: 'BEARER-SECRET-0f0f',
  query_code: 'QUERY-CODE-SECRET-1234',
};

describe('logs (SPEC §8)', () => {
  it('never contain the secrets a request carries in headers, query or body', async () => {
    await postForm(
      `${server.issuer}/token`,
      {
        grant_type: 'refresh_token',
        refresh_token: SECRETS.refresh_token,
        code_verifier: SECRETS.code_verifier,
        client_secret: SECRETS.client_secret,
        client_assertion: SECRETS.client_assertion,
        password: SECRETS.password,
        answer: SECRETS.answer,
        user_number: SECRETS.user_number,
      },
      { authorization: basicAuth({ clientId: 'unknown', clientSecret: SECRETS.client_secret }), cookie: `_session=${SECRETS.cookie}`, dpop: SECRETS.dpop },
    );
    await fetch(`${server.issuer}/me?access_token=${SECRETS.bearer}`, { headers: { authorization: `Bearer ${SECRETS.bearer}` } });
    await fetch(`${server.issuer}/callback?code=${SECRETS.query_code}&state=s`, { headers: { cookie: `x=${SECRETS.cookie}` } });

    // a real code redemption and its replay: codes and tokens must not reach the log either
    const client = await registerClient(server);
    const sub = await seedCustomer(server);
    const { code, verifier } = await issueCode(server, client, sub);
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI };
    const issued = await postForm(`${server.issuer}/token`, form, { authorization: basicAuth(client) });
    await postForm(`${server.issuer}/token`, form, { authorization: basicAuth(client) });
    await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${String(issued.json.access_token)}` } });

    const text = server.logs.text;
    expect(server.logs.lines.filter((line) => line.includes('"http.request"')).length).toBeGreaterThanOrEqual(6);
    expect(text).toContain('oidc.grant.error');
    // the token response's line: who and what, as JSON like every other line
    const issuedLine = server.logs.events().find((line) => line.event === 'oidc.grant.success');
    expect(issuedLine).toMatchObject({ level: 30, client_id: client.clientId, route: 'token', grant_type: 'authorization_code', msg: 'tokens issued' });
    expect(typeof issuedLine!.request_id).toBe('string');
    expect(typeof issuedLine!.time).toBe('string');
    for (const secret of [...Object.values(SECRETS), code, verifier, String(issued.json.access_token), String(issued.json.id_token), client.clientSecret!]) {
      expect(text).not.toContain(secret);
    }
  });

  it('redacts secret fields wherever a log call puts them', () => {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'info', destination: capture });
    logger.info({
      password: SECRETS.password,
      body: { answer: SECRETS.answer, user_number: SECRETS.user_number, code: SECRETS.query_code },
      req: { headers: { authorization: `Bearer ${SECRETS.bearer}`, cookie: SECRETS.cookie, dpop: SECRETS.dpop } },
      res: { headers: { 'set-cookie': SECRETS.cookie } },
      params: { client_secret: SECRETS.client_secret, refresh_token: SECRETS.refresh_token },
    }, 'everything secret');
    expect(capture.lines).toHaveLength(1);
    for (const secret of Object.values(SECRETS)) expect(capture.text).not.toContain(secret);
    expect(capture.text).toContain('[REDACTED]');
  });

  it('stamps each line with its time in ISO 8601 (UTC, milliseconds)', async () => {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'info', destination: capture });
    const before = Date.now();
    logger.info('first');
    await new Promise((resolve) => setTimeout(resolve, 5));
    logger.info('second');
    const after = Date.now();
    const times = capture.lines.map((line) => (JSON.parse(line) as { time: string }).time);
    expect(times).toHaveLength(2);
    for (const time of times) {
      expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(new Date(time).toISOString()).toBe(time);
      expect(Date.parse(time)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(time)).toBeLessThanOrEqual(after);
    }
    expect(Date.parse(times[1]!)).toBeGreaterThan(Date.parse(times[0]!));
  });
});
