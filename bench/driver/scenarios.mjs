// The token and resource scenarios: what one request of each looks like for a given server.
import { REDIRECT_URI } from '../servers/provider-fixtures.mjs';
import { basicAuthorization } from './journey.mjs';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Each scenario's `prepare(server, poolSize)` resolves to { request, pool? } for runLoad; a pool
 * holds one never-reused item per request (codes, client assertions and DPoP proofs).
 * `server` carries endpoints, seed (clients, customer), tokens (a live access and refresh token).
 */
export function tokenScenarios(fapi) {
  const basicPost = (server, url) => ({
    url, method: 'POST', headers: { authorization: basicAuthorization(server.seed.client), 'content-type': FORM },
  });
  return [
    {
      key: 'refresh', name: 'refresh_token grant', token: true,
      prepare: async (server) => ({
        request: { ...basicPost(server, server.endpoints.token), body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: server.tokens.refreshToken }).toString() },
      }),
    },
    {
      key: 'code', name: 'authorization_code exchange', token: true,
      prepare: async (server, poolSize) => {
        const { verifier, codes } = await server.process.call('mintCodes', { count: poolSize });
        return {
          request: basicPost(server, server.endpoints.token),
          pool: codes.map((code) => ({ body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }).toString() })),
        };
      },
    },
    {
      key: 'introspection', name: 'introspection',
      prepare: async (server) => ({ request: { ...basicPost(server, server.endpoints.introspection), body: `token=${server.tokens.accessToken}` } }),
    },
    {
      key: 'userinfo', name: 'userinfo',
      prepare: async (server) => ({ request: { url: server.endpoints.userinfo, headers: { authorization: `Bearer ${server.tokens.accessToken}` } } }),
    },
    { key: 'discovery', name: 'discovery', prepare: async (server) => ({ request: { url: `${server.issuer}/.well-known/openid-configuration` } }) },
    { key: 'jwks', name: 'JWKS', prepare: async (server) => ({ request: { url: server.endpoints.jwks } }) },
    {
      key: 'fapi2_par', name: 'PAR + private_key_jwt + DPoP (fapi2)',
      prepare: async (server, poolSize) => ({
        request: { url: server.endpoints.par, method: 'POST', headers: { 'content-type': FORM } },
        pool: await fapi.pool({ clientId: server.seed.fapiClientId, issuer: server.issuer, parEndpoint: server.endpoints.par }, poolSize),
      }),
    },
  ];
}

/** Sends one request of a prepared scenario (the pool's first item); its status. */
export async function sendOnce({ request, pool }) {
  const item = pool?.[0] ?? {};
  const response = await fetch(request.url, {
    method: request.method ?? 'GET', headers: { ...request.headers, ...item.headers }, body: item.body ?? request.body,
  });
  const text = await response.text();
  return { status: response.status, text };
}

export async function discover(issuer) {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  const d = await response.json();
  return {
    authorization: d.authorization_endpoint, token: d.token_endpoint, userinfo: d.userinfo_endpoint, introspection: d.introspection_endpoint,
    jwks: d.jwks_uri, par: d.pushed_authorization_request_endpoint,
  };
}
