import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { callbackParams } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { createCustomer, postForm, REDIRECT_URI, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { basicAuth } from '../../support/oauth-fixtures.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  client = await registerClient(server);
});
afterAll(() => server.close());

describe('the customer journey (SPEC §3)', () => {
  it('goes login → digits → additional authentication (new browser) → consent → code, state and iss at the partner', async () => {
    const customer = await createCustomer(server);
    const journey = await completeJourney(server.issuer, client, customer);
    expect(Object.keys(journey.pages)).toEqual(['login', 'digits', 'additional', 'consent']);

    expect(journey.end.response.status).toBe(303);
    const params = callbackParams(journey.end.url);
    expect(params.get('state')).toBe(journey.state);
    expect(params.get('iss')).toBe(server.issuer);
    expect(params.get('code')).toBeTruthy();

    const tokens = await postForm(
      `${server.issuer}/token`,
      { grant_type: 'authorization_code', code: params.get('code')!, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI },
      { authorization: basicAuth(client) },
    );
    expect(tokens.status).toBe(200);
    const idToken = decodeJwt(String(tokens.json.id_token));
    expect(idToken).toMatchObject({ sub: customer.sub, acr: 'urn:renkei:acr:pwd-digits-kba', amr: ['pwd', 'pin', 'kba'] });
    expect(String(tokens.json.scope).split(' ').sort()).toEqual(['accounts', 'openid']);
  });

  it('skips the additional authentication on a remembered browser, and consent when the grant already covers the request', async () => {
    const customer = await createCustomer(server);
    const first = await completeJourney(server.issuer, client, customer);
    expect(first.pages.additional).toBeDefined();

    const second = await completeJourney(server.issuer, client, customer, { browser: first.browser });
    expect(Object.keys(second.pages)).toEqual(['login', 'digits']);
    expect(callbackParams(second.end.url).get('code')).toBeTruthy();

    const third = await completeJourney(server.issuer, client, customer, { browser: first.browser, scope: 'openid accounts transactions' });
    expect(Object.keys(third.pages)).toEqual(['login', 'digits', 'consent']);
    expect(third.pages.consent!.html).toContain('入出金明細の照会');
  });
});
