import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { postForm, REDIRECT_URI } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function clientWithKey(profile: 'standard' | 'fapi2') {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const { record } = await server.app.clients.create({
    client_name: `${profile} private_key_jwt`, redirect_uris: [REDIRECT_URI], profile, token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] },
  });
  return { clientId: record.client_id, privateKey };
}

async function tokenRequestWithAssertionAud(client: { clientId: string; privateKey: CryptoKey }, aud: string) {
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(client.clientId).setSubject(client.clientId).setAudience(aud).setIssuedAt().setExpirationTime('1m')
    .sign(client.privateKey);
  return postForm(`${server.issuer}/token`, {
    grant_type: 'authorization_code', code: randomUUID(), code_verifier: 'v'.repeat(43), redirect_uri: REDIRECT_URI,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion,
  });
}

describe('the FAPI 2.0 profile applies per client', () => {
  it('accepts the token endpoint as a standard client’s assertion audience, but only the issuer from a fapi2 client', async () => {
    const standard = await clientWithKey('standard');
    const fapi2 = await clientWithKey('fapi2');
    const tokenEndpoint = `${server.issuer}/token`;
    // authenticated, then refused for the unknown code: invalid_grant
    expect((await tokenRequestWithAssertionAud(standard, tokenEndpoint)).json.error).toBe('invalid_grant');
    expect((await tokenRequestWithAssertionAud(fapi2, server.issuer)).json.error).toBe('invalid_grant');
    expect((await tokenRequestWithAssertionAud(fapi2, tokenEndpoint)).json.error).toBe('invalid_client');
  });
});

describe('replayed client assertions (RFC 7523 jti)', () => {
  it('lets exactly one of 10 concurrent token requests carrying the same assertion authenticate', async () => {
    const client = await clientWithKey('fapi2');
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(client.clientId).setSubject(client.clientId).setAudience(server.issuer).setIssuedAt().setExpirationTime('1m')
      .sign(client.privateKey);
    const responses = await Promise.all(Array.from({ length: 10 }, () => postForm(`${server.issuer}/token`, {
      grant_type: 'authorization_code', code: randomUUID(), code_verifier: 'v'.repeat(43), redirect_uri: REDIRECT_URI,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion,
    })));
    const errors = responses.map((r) => r.json.error).sort();
    expect(errors).toEqual([...Array(9).fill('invalid_client'), 'invalid_grant']);
  });
});
