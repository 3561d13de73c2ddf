import { describe, expect, it } from '@jest/globals';
import { checkClientRules } from '../../../src/clients/client-rules.js';
import type { ClientInput } from '../../../src/clients/client-record.js';

const keyed = (jwksUri: string): ClientInput => ({ client_name: 'p', redirect_uris: ['https://rp.example/cb'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUri });

describe('jwks_uri at registration', () => {
  it.each([
    ['https://127.0.0.1/jwks', '127.0.0.1'],
    ['https://0x7f000001/jwks', '127.0.0.1'],
    ['https://169.254.169.254/latest', '169.254.169.254'],
    ['https://10.0.0.1/jwks', '10.0.0.1'],
    ['https://[::1]/x', '::1'],
  ])('refuses %s in production: the server would connect to %s', (uri, address) => {
    expect(checkClientRules(keyed(uri), {})).toContainEqual({ path: '/jwks_uri', message: `jwks_uri must be reachable on a public address: ${address} is a loopback, private or reserved address` });
  });

  it('takes a public https address or name, and loopback outside production', () => {
    expect(checkClientRules(keyed('https://rp.example/jwks'), {})).toEqual([]);
    expect(checkClientRules(keyed('https://93.184.215.14/jwks'), {}).filter((p) => p.path === '/jwks_uri')).toEqual([]);
    expect(checkClientRules(keyed('http://localhost:8080/jwks'), {}, { loopbackJwksUri: true })).toEqual([]);
    expect(checkClientRules(keyed('https://127.0.0.1/jwks'), {}, { loopbackJwksUri: true })).toEqual([]);
  });
});

describe('redirect_uris at registration', () => {
  const withRedirect = (uri: string): ClientInput => ({ client_name: 'p', redirect_uris: [uri] });
  it.each([
    ['https://rp.example\\@evil.example/cb', 'must not contain a backslash'],
    ['https://user:pw@rp.example/cb', 'must not carry user:password@'],
    ['https://rp.example/a/../cb', 'must not contain . or .. path segments'],
    ['https://rp.example/./cb', 'must not contain . or .. path segments'],
    ['https://rp.example/cb/..', 'must not contain . or .. path segments'],
    ['https://rp.example./cb', 'must not have a host ending in a dot'],
  ])('refuses %s, whose host or path parsers read differently', (uri, why) => {
    expect(checkClientRules(withRedirect(uri), {})).toEqual([{ path: '/redirect_uris/0', message: `${uri} ${why}` }]);
  });

  it('takes plain https addresses, with a query and with dots inside names', () => {
    for (const uri of ['https://rp.example/cb', 'https://rp.example/cb?tenant=a', 'https://rp.example/v1.0/cb', 'https://rp.example/..cb', 'http://localhost:8080/cb']) {
      expect(checkClientRules(withRedirect(uri), {})).toEqual([]);
    }
  });
});

describe('token_endpoint_auth_signing_alg at registration', () => {
  it('is for private_key_jwt clients, said in words for the others', () => {
    const secretClient: ClientInput = { client_name: 'p', redirect_uris: ['https://rp.example/cb'], token_endpoint_auth_signing_alg: 'ES256' };
    expect(checkClientRules(secretClient, {})).toEqual([{ path: '/token_endpoint_auth_signing_alg', message: 'token_endpoint_auth_signing_alg is for private_key_jwt clients (this one authenticates with client_secret_basic)' }]);
    expect(checkClientRules({ ...keyed('https://rp.example/jwks'), token_endpoint_auth_signing_alg: 'ES256' }, {})).toEqual([]);
  });
});
