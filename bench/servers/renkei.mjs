// renkei as the bench's server process: started from dist/ as in production (log level info,
// lines written to this process's stdout, which the driver points at /dev/null), plus the
// bench's setup operations.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyFiles } from '../../dist/src/keys/generate-keys.js';
import { createLogger } from '../../dist/src/shared/logger.js';
import { logProviderNotices } from '../../dist/src/shared/provider-notices.js';
import { loadSettings } from '../../dist/src/settings/load-settings.js';
import { startRenkei } from '../../dist/src/start.js';
import { mintCodes, mintTokens, REDIRECT_URI } from './provider-fixtures.mjs';
import { announceReady, serveSetup } from './setup-channel.mjs';

const { redisUrl, port, fapiJwk } = JSON.parse(process.env.BENCH_SERVER ?? '{}');
const PARTNER_SCOPE = 'openid offline_access accounts transactions transfers';

const keysDir = mkdtempSync(join(tmpdir(), 'renkei-bench-'));
await generateKeyFiles(keysDir);
const settings = loadSettings({
  cwd: keysDir,
  env: {
    RENKEI_PORT: String(port), RENKEI_HOST: '127.0.0.1', RENKEI_ADMIN_PORT: '0', RENKEI_ISSUER: `http://127.0.0.1:${port}`,
    RENKEI_REDIS_URL: redisUrl, RENKEI_KEYS_DIR: keysDir, RENKEI_ADMIN_TOKEN: 'b'.repeat(40), RENKEI_DEMO: '0', RENKEI_LOG_LEVEL: 'info',
    // bench/journey-threads.mjs only: the journey's own cost with no hash beside it
    ...(process.env.BENCH_TEST_FAST_HASHING === '1' ? { RENKEI_TEST_FAST_HASHING: '1' } : {}),
  },
});
const logger = createLogger({ level: settings.config.logLevel });
// as the product's entry does: oidc-provider's console notices become log lines, off the driver's output
logProviderNotices(logger);
const running = await startRenkei(settings, logger);
const { app } = running;
const tokenEndpoint = `${settings.issuer}/token`;

let customerCount = 0;
async function createCustomer() {
  const customer = {
    loginId: `bench-${process.pid}-${++customerCount}`,
    password: 'correct horse 2026',
    userNumber: '3141592653',
    question: '好きな色は？',
    answer: 'あお',
  };
  const { sub } = await app.customers.create({ ...customer, name: 'ベンチ 太郎' });
  return { ...customer, sub };
}

let seeded;
serveSetup({
  async seed() {
    const confidential = await app.clients.create({ client_name: 'bench partner', redirect_uris: [REDIRECT_URI], scope: PARTNER_SCOPE });
    const fapi = await app.clients.create({
      client_name: 'bench FAPI 2.0 partner', redirect_uris: [REDIRECT_URI], scope: 'openid offline_access accounts transactions',
      profile: 'fapi2', jwks: { keys: [fapiJwk] },
    });
    seeded = {
      client: { clientId: confidential.record.client_id, clientSecret: confidential.clientSecret },
      fapiClientId: fapi.record.client_id,
      customer: await createCustomer(),
    };
    return seeded;
  },
  async customers({ count }) {
    const customers = [];
    for (let i = 0; i < count; i++) customers.push(await createCustomer());
    return customers;
  },
  mintCodes: ({ count, accountId = seeded.customer.sub }) => mintCodes(running.provider, { clientId: seeded.client.clientId, accountId, count }),
  mintTokens: ({ accountId = seeded.customer.sub }) =>
    mintTokens(running.provider, { tokenEndpoint, ...seeded.client, accountId }),
});
announceReady({ issuer: settings.issuer, name: 'renkei' });
