import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicAuth, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('the form of a client-authenticating endpoint', () => {
  it('is read once and handed to oidc-provider as it came, in one chunk or many', async () => {
    const client = await registerClient(server);
    const introspected = await postForm(`${server.issuer}/token/introspection`, { token: 'not-a-token' }, { authorization: basicAuth(client) });
    expect(introspected).toMatchObject({ status: 200, json: { active: false } });

    // a body sent in several chunks: the client id is read from it before oidc-provider parses it
    const pieces = ['token=not-', 'a-token&client_id=', encodeURIComponent(client.clientId), '&client_secret=', encodeURIComponent(client.clientSecret!)];
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const piece = pieces.shift();
        if (piece === undefined) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, 5));
        controller.enqueue(new TextEncoder().encode(piece));
      },
    });
    const chunked = await fetch(`${server.issuer}/token/introspection`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(200);
    expect(await chunked.json()).toEqual({ active: false });
  });

  it('is read as empty when the request declares a form but sends no body at all: the missing parameter is named', async () => {
    const client = await registerClient(server);
    // as `curl -X POST -H 'Content-Type: application/x-www-form-urlencoded'` sends it: no Content-Length, no body
    const { host } = new URL(server.issuer);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(server.issuer).port), '127.0.0.1', () => {
        // written, not ended: a client that half-closes at once may see the server drop it before it answers;
        // Connection: close makes the server end the connection once it has answered
        socket.write(`POST /token HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${basicAuth(client)}\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n`);
      });
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'invalid_request', error_description: "missing required parameter 'grant_type'" });
  });

  it('is refused over 56 KiB, and the listener goes on answering', async () => {
    const client = await registerClient(server);
    const tooLarge = await postForm(`${server.issuer}/token`, { grant_type: 'refresh_token', refresh_token: 'x'.repeat(60 * 1024) }, { authorization: basicAuth(client) });
    expect(tooLarge).toMatchObject({ status: 413, json: { error: 'invalid_request', error_description: 'the request body is too large' } });
    for (const endpoint of ['/request', '/token/introspection', '/token/revocation']) {
      const refused = await postForm(`${server.issuer}${endpoint}`, { token: 'x'.repeat(60 * 1024) }, { authorization: basicAuth(client) });
      expect([endpoint, refused.status, refused.json.error]).toEqual([endpoint, 413, 'invalid_request']);
    }
    const after = await postForm(`${server.issuer}/token/introspection`, { token: 'not-a-token' }, { authorization: basicAuth(client) });
    expect(after.status).toBe(200);
  });

  it('is refused with 415 when compressed (Content-Encoding), not read as missing parameters', async () => {
    const client = await registerClient(server);
    for (const [coding, body] of [['gzip', gzipSync('grant_type=refresh_token&refresh_token=x')], ['br', Buffer.from('grant_type=refresh_token&refresh_token=x')]] as const) {
      const response = await fetch(`${server.issuer}/token`, {
        method: 'POST', body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': coding, authorization: basicAuth(client) },
      });
      expect([coding, response.status, response.headers.get('accept-encoding'), await response.json()]).toEqual([coding, 415, 'identity', {
        error: 'invalid_request', error_description: 'the request body must not be compressed: send it as plain application/x-www-form-urlencoded',
      }]);
    }
    const plain = await postForm(`${server.issuer}/token/introspection`, { token: 'not-a-token' }, { authorization: basicAuth(client), 'content-encoding': 'identity' });
    expect(plain.status).toBe(200);
  });

  it('at userinfo (POST, RFC 6750 §2.2) is refused over 56 KiB with 413 as at the token endpoint, not 400', async () => {
    const refused = await fetch(`${server.issuer}/me`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer not-a-token' }, body: `padding=${'x'.repeat(70 * 1024)}`,
    });
    expect([refused.status, await refused.json()]).toEqual([413, { error: 'invalid_request', error_description: 'the request body is too large' }]);
    const small = await fetch(`${server.issuer}/me`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer not-a-token' }, body: 'padding=x' });
    expect(small.status).toBe(401);
    // the form is read once and handed on: a token in the body is still read by oidc-provider
    const client = await registerClient(server);
    const sub = await seedCustomer(server);
    const { code, verifier } = await issueCode(server, client, sub, 'openid accounts');
    const tokens = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
    const inBody = await postForm(`${server.issuer}/me`, { access_token: String(tokens.json.access_token) });
    expect([inBody.status, inBody.json.sub]).toEqual([200, sub]);
  });
});
