// A bare oidc-provider 9 (same oidc-provider, koa and ioredis as renkei; not shipped): renkei's
// protocol configuration, a minimal Redis adapter, clients in static configuration, one fixed
// account, no request logging, and an interaction that logs the account in and consents at once.
import { argon2 } from 'node:crypto';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import { Redis } from 'ioredis';
import Provider from 'oidc-provider';
import { argon2idInput } from '../servers/argon2-input.mjs';
import { mintCodes, mintTokens, REDIRECT_URI } from '../servers/provider-fixtures.mjs';
import { announceReady, serveSetup } from '../servers/setup-channel.mjs';
import { baselineConfiguration } from './configuration.mjs';
import { bareRedisAdapter } from './redis-adapter.mjs';

const { redisUrl, port, fapiJwk, clientSecret } = JSON.parse(process.env.BENCH_SERVER ?? '{}');
const issuer = `http://127.0.0.1:${port}`;
const account = { accountId: 'bench-account' };
const client = { clientId: 'bench-partner', clientSecret };
const fapiClientId = 'bench-fapi-partner';

async function signingKeys() {
  const keys = [];
  for (const alg of ['ES256', 'PS256', 'RS256', 'EdDSA']) {
    const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg.startsWith('PS') || alg.startsWith('RS') ? { modulusLength: 2048 } : {}) });
    keys.push({ ...(await exportJWK(privateKey)), kid: `bare-${alg}`, alg, use: 'sig' });
  }
  return { keys };
}

const clients = [
  {
    client_id: client.clientId, client_secret: clientSecret, client_name: 'bench partner', redirect_uris: [REDIRECT_URI],
    scope: 'openid offline_access accounts transactions transfers', token_endpoint_auth_method: 'client_secret_basic', profile: 'standard',
  },
  {
    client_id: fapiClientId, client_name: 'bench FAPI 2.0 partner', redirect_uris: [REDIRECT_URI], scope: 'openid offline_access accounts transactions',
    profile: 'fapi2', token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: fapiJwk.alg ?? 'ES256', jwks: { keys: [fapiJwk] },
    require_pushed_authorization_requests: true, dpop_bound_access_tokens: true, request_object_signing_alg: fapiJwk.alg ?? 'ES256',
    id_token_signed_response_alg: 'PS256', authorization_signed_response_alg: 'PS256',
  },
];

// Journeys "with the same hashes" (setup operation loginHashes): the login derives that many
// Argon2id keys with renkei's parameters before it logs the account in, through node:crypto's
// async argon2 on libuv's pool, as an application on bare oidc-provider would check a password.
let loginHashes = 0;
const deriveArgon2id = promisify(argon2);
const checkSecret = () => deriveArgon2id('argon2id', argon2idInput());

const redis = new Redis(redisUrl);
const provider = new Provider(issuer, baselineConfiguration({ adapter: bareRedisAdapter(redis), jwks: await signingKeys(), clients, account }));

// login, then consent: each answered by the next GET without a page
provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/interaction/')) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  let result;
  if (details.prompt.name === 'login') {
    for (let hash = 0; hash < loginHashes; hash++) await checkSecret();
    result = { login: { accountId: account.accountId } };
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details.missingOIDCScope;
    if (missing) grant.addOIDCScope(missing.join(' '));
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.respond = false;
});

const server = createServer(provider.callback());
server.listen(port, '127.0.0.1');
await once(server, 'listening');

serveSetup({
  seed: async () => ({ client, fapiClientId, customer: { sub: account.accountId } }),
  loginHashes: async ({ count }) => {
    loginHashes = count;
  },
  customers: async ({ count }) => Array.from({ length: count }, () => ({ sub: account.accountId })),
  mintCodes: ({ count }) => mintCodes(provider, { clientId: client.clientId, accountId: account.accountId, count }),
  mintTokens: () => mintTokens(provider, { tokenEndpoint: `${issuer}/token`, ...client, accountId: account.accountId }),
});
announceReady({ issuer, name: 'baseline' });
