// npm run bench: throughput and latency of the hot endpoints against a real redis-server, each
// compared with /healthz measured in the same run (ratios travel between machines, raw numbers don't).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { generateKeyFiles } from '../dist/src/keys/generate-keys.js';
import { createLogger } from '../dist/src/shared/logger.js';
import { loadSettings } from '../dist/src/settings/load-settings.js';
import { startRenkei } from '../dist/src/start.js';
import { freePort, startRedisServer } from '../test/support/redis-server.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const REDIRECT_URI = 'https://partner.example/callback';

const redis = await startRedisServer();
const keysDir = mkdtempSync(join(tmpdir(), 'renkei-bench-'));
await generateKeyFiles(keysDir);
const port = await freePort();
const settings = loadSettings({
  cwd: keysDir,
  env: {
    RENKEI_PORT: String(port), RENKEI_HOST: '127.0.0.1', RENKEI_ADMIN_PORT: '0', RENKEI_ISSUER: `http://127.0.0.1:${port}`,
    RENKEI_REDIS_URL: redis.url, RENKEI_KEYS_DIR: keysDir, RENKEI_ADMIN_TOKEN: 'b'.repeat(40), RENKEI_DEMO: '0', RENKEI_LOG_LEVEL: 'silent',
  },
});
const running = await startRenkei(settings, createLogger({ level: 'silent' }));
const { app, provider } = running;

// one partner, one customer, one access token issued through the real token endpoint
const { record, clientSecret } = await app.clients.create({ client_name: 'bench', redirect_uris: [REDIRECT_URI], scope: 'openid accounts' });
const customer = await app.customers.create({ loginId: 'bench', password: 'bench-password', userNumber: '12345678', question: 'q', answer: 'a' });
const grant = new provider.Grant({ accountId: customer.sub, clientId: record.client_id });
grant.addOIDCScope('openid accounts');
const grantId = await grant.save();
const verifier = randomBytes(32).toString('base64url');
const code = await new provider.AuthorizationCode({
  accountId: customer.sub, clientId: record.client_id, grantId, redirectUri: REDIRECT_URI, scope: 'openid accounts',
  codeChallenge: createHash('sha256').update(verifier).digest('base64url'), codeChallengeMethod: 'S256', authTime: Math.floor(Date.now() / 1000),
}).save();
const basic = `Basic ${Buffer.from(`${record.client_id}:${clientSecret}`).toString('base64')}`;
const form = 'application/x-www-form-urlencoded';
const tokenResponse = await fetch(`${settings.issuer}/token`, {
  method: 'POST', headers: { authorization: basic, 'content-type': form },
  body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }),
});
const { access_token: accessToken } = await tokenResponse.json();

const scenarios = [
  { name: 'GET /healthz (baseline)', path: '/healthz' },
  { name: 'GET /readyz (Redis PING)', path: '/readyz' },
  { name: 'GET discovery', path: '/.well-known/openid-configuration' },
  { name: 'GET /jwks', path: '/jwks' },
  { name: 'GET /me (userinfo, opaque token)', path: '/me', headers: { authorization: `Bearer ${accessToken}` } },
  { name: 'POST introspection (opaque token)', path: '/token/introspection', method: 'POST', headers: { authorization: basic, 'content-type': form }, body: `token=${accessToken}` },
];

const results = [];
for (const scenario of scenarios) {
  const result = await autocannon({ url: `${settings.issuer}${scenario.path}`, method: scenario.method ?? 'GET', headers: scenario.headers, body: scenario.body, connections: CONNECTIONS, duration: DURATION });
  results.push({ ...scenario, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx });
}

const baseline = results[0].rps;
console.log(`\nrenkei bench: ${CONNECTIONS} connections, ${DURATION} s each, Node ${process.version}\n`);
console.log(['scenario'.padEnd(36), 'req/s'.padStart(9), 'vs baseline'.padStart(12), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(7)].join(''));
for (const r of results) {
  console.log([r.name.padEnd(36), r.rps.toFixed(0).padStart(9), (r.rps / baseline).toFixed(2).padStart(12), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.errors).padStart(7)].join(''));
}
console.log(`\nrss after run: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);

await running.close();
await redis.stop();
process.exit(results.some((r) => r.errors > 0) ? 1 : 0);
