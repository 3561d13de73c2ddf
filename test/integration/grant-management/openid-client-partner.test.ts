import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type GenerateKeyPairResult } from 'jose';
import * as oidc from 'openid-client';
import { Browserless } from '../../support/browserless.js';
import { submit } from '../../support/journey.js';
import { REDIRECT_URI, type TestCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { customerWithAccounts, throughLogin, tick } from '../rar/rar-kit.js';

const BANK_API = 'https://api.example-shinkumi.jp/';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A fapi2 partner built with openid-client from discovery: PAR, private_key_jwt, DPoP. */
async function fapiPartner(grantManagement = true, dpopKeys?: GenerateKeyPairResult) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const { record } = await server.app.clients.create({
    client_name: 'FAPI 家計簿', redirect_uris: [REDIRECT_URI], profile: 'fapi2', grant_management: grantManagement,
    scope: 'openid offline_access accounts transactions grant_management_query grant_management_revoke',
    jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig', kid: 'k1' }] },
  });
  const config = await oidc.discovery(new URL(server.issuer), record.client_id, { id_token_signed_response_alg: 'PS256' }, oidc.PrivateKeyJwt({ key: privateKey, kid: 'k1' }), { execute: [oidc.allowInsecureRequests] });
  const dpop = oidc.getDPoPHandle(config, dpopKeys ?? (await oidc.randomDPoPKeyPair('ES256')));
  return { config, dpop, clientId: record.client_id };
}

type Partner = Awaited<ReturnType<typeof fapiPartner>>;

/** PAR with these parameters, the customer through the screens choosing these accounts, the code redeemed. */
async function authorize(partner: Partner, customer: TestCustomer, accountIds: readonly string[], parameters: Record<string, string>) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = await oidc.buildAuthorizationUrlWithPAR(partner.config, {
    redirect_uri: REDIRECT_URI, state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...parameters,
  }, { DPoP: partner.dpop });
  const browser = new Browserless(server.issuer);
  const consent = await throughLogin(browser, await browser.follow(await browser.get(url.toString())), customer);
  const end = await submit(browser, consent, 'consent', tick(consent.html, accountIds));
  return oidc.authorizationCodeGrant(partner.config, new URL(end.url), { pkceCodeVerifier: verifier, expectedState: state }, undefined, { DPoP: partner.dpop });
}

describe('openid-client partner: RAR through PAR and the grant management endpoint', () => {
  it('asks account_information through PAR; merges grant_management_query into the same grant; queries and revokes it with DPoP', async () => {
    const partner = await fapiPartner();
    const customer = await customerWithAccounts(server, 3);
    const details = [{ type: 'account_information', actions: ['balances'] }];
    const first = await authorize(partner, customer, customer.accountIds.slice(0, 2), {
      scope: 'openid offline_access', authorization_details: JSON.stringify(details), grant_management_action: 'create',
    });
    const granted = [{ type: 'account_information', actions: ['balances'], accounts: customer.accountIds.slice(0, 2) }];
    expect(first.authorization_details).toEqual(granted);
    expect(decodeJwt(first.access_token)).toMatchObject({ aud: BANK_API, authorization_details: granted });
    const grantId = first.grant_id as string;
    expect(grantId).toEqual(expect.any(String));

    // a token for the grant management endpoint (no resource: an opaque token of ours), merged into the same grant
    const second = await authorize(partner, customer, [], { scope: 'openid grant_management_query grant_management_revoke', grant_id: grantId, grant_management_action: 'merge' });
    expect(second.grant_id).toBe(grantId);
    const endpoint = new URL(`${partner.config.serverMetadata().grant_management_endpoint as string}/${grantId}`);
    const query = await oidc.fetchProtectedResource(partner.config, second.access_token, endpoint, 'GET', undefined, undefined, { DPoP: partner.dpop });
    expect(query.status).toBe(200);
    expect(await query.json()).toMatchObject({ authorization_details: granted, scopes: expect.arrayContaining([expect.objectContaining({ scope: expect.stringContaining('grant_management_query') })]) });

    // Bearer where DPoP is required
    const asBearer = await fetch(endpoint, { headers: { authorization: `Bearer ${second.access_token}` } });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/^DPoP realm="[^"]+", error="invalid_token"/);

    const revoked = await oidc.fetchProtectedResource(partner.config, second.access_token, endpoint, 'DELETE', undefined, undefined, { DPoP: partner.dpop });
    expect(revoked.status).toBe(204);
    expect(await server.app.grants.find(customer.sub, partner.clientId)).toBeUndefined();
  });

  it('refuses a foreign grant_id at PAR (invalid_grant_id) and a token without the scope (403 insufficient_scope)', async () => {
    const partner = await fapiPartner();
    const other = await fapiPartner();
    const customer = await customerWithAccounts(server, 1);
    const theirs = await authorize(other, customer, customer.accountIds, { scope: 'openid accounts', grant_management_action: 'create' });
    const refused = await oidc.buildAuthorizationUrlWithPAR(partner.config, {
      redirect_uri: REDIRECT_URI, scope: 'openid accounts', grant_id: theirs.grant_id as string, grant_management_action: 'merge',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    }, { DPoP: partner.dpop }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(oidc.ResponseBodyError);
    expect((refused as oidc.ResponseBodyError).error).toBe('invalid_grant_id');

    const endpoint = new URL(`${other.config.serverMetadata().grant_management_endpoint as string}/${theirs.grant_id as string}`);
    const noScope = await oidc.fetchProtectedResource(other.config, theirs.access_token, endpoint, 'GET', undefined, undefined, { DPoP: other.dpop }).catch((error: unknown) => error);
    const status = noScope instanceof Response ? noScope.status : (noScope as { status?: number; cause?: Response }).status ?? (noScope as { cause?: Response }).cause?.status;
    expect(status).toBe(403);
  });

  it('takes a DPoP proof at the grant management endpoint only with a jti string, once (RFC 9449 §4.2, §4.3, §11.1)', async () => {
    const keys = await generateKeyPair('ES256', { extractable: true });
    const partner = await fapiPartner(true, keys);
    const customer = await customerWithAccounts(server, 1);
    const issued = await authorize(partner, customer, customer.accountIds, { scope: 'openid accounts grant_management_query', grant_management_action: 'create' });
    const endpoint = `${partner.config.serverMetadata().grant_management_endpoint as string}/${issued.grant_id as string}`;
    const jwk = await exportJWK(keys.publicKey);
    const ath = createHash('sha256').update(issued.access_token).digest('base64url');
    const query = async (claims: Record<string, unknown>) => {
      const proof = await new SignJWT({ htm: 'GET', htu: endpoint, ath, iat: Math.floor(Date.now() / 1000), ...claims })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
        .sign(keys.privateKey);
      const response = await fetch(endpoint, { headers: { authorization: `DPoP ${issued.access_token}`, dpop: proof } });
      return [response.status, /error="([^"]+)"/.exec(response.headers.get('www-authenticate') ?? '')?.[1]];
    };
    for (const jti of [undefined, '', 7, { id: 'x' }]) expect([jti, ...(await query({ jti }))]).toEqual([jti, 401, 'invalid_dpop_proof']);
    const jti = randomUUID();
    expect(await query({ jti })).toEqual([200, undefined]);
    expect(await query({ jti })).toEqual([401, 'invalid_dpop_proof']);
  });
});
