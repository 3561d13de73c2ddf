import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { createAdminApp } from './admin/admin-app.js';
import { Metrics } from './admin/metrics.js';
import { resolveAdminToken, type ResolvedAdminToken } from './admin/admin-token.js';
import { loadKeys } from './keys/load-keys.js';
import { createProvider } from './provider/create-provider.js';
import { createPublicApp } from './server.js';
import { SettingsError } from './settings/load-settings.js';
import { startupProblems } from './settings/production-rules.js';
import type { Settings } from './settings/types.js';
import { checkEvictionPolicy } from './storage/check-eviction-policy.js';
import { waitForRedis } from './storage/redis-connection.js';
import { createStore, type Store } from './storage/store.js';
import { createDomainServices, type AppContext } from './services.js';
import { trackGrantUse } from './grants/track-grant-use.js';
import { seedDemo } from './demo/seed-demo.js';
import { ClientRegistry } from './clients/client-registry.js';
import { Keyring } from './keys/keyring.js';
import type { KeySchedule } from './keys/key-schedule.js';
import { ProviderHolder } from './provider/provider-holder.js';
import { markDpopReplays } from './provider/dpop-replay-error.js';

export interface RunningRenkei {
  readonly publicUrl: string;
  readonly adminUrl: string;
  readonly provider: Provider;
  readonly store: Store;
  readonly adminToken: ResolvedAdminToken;
  readonly app: AppContext;
  close(): Promise<void>;
}

async function listen(server: Server, port: number, host: string): Promise<string> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`;
}

async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}

/** Builds every dependency from the settings and starts both listeners. */
export async function startRenkei(settings: Settings, logger: Logger): Promise<RunningRenkei> {
  const keys = await loadKeys(settings, logger);
  const adminToken = resolveAdminToken(settings);
  const problems = startupProblems(settings, keys.problems);
  if (settings.mode === 'development') problems.push(...keys.problems);
  if (problems.length || !keys.material || !adminToken) throw new SettingsError(problems);

  const store = createStore(settings.config.redis, logger);
  if (store.redis) {
    try {
      await waitForRedis(store.redis, settings.config.redis.connectTimeoutMs * 2);
      await checkEvictionPolicy(store.redis, logger);
    } catch (error) {
      logger.error({ event: 'redis.unavailable', err: { message: (error as Error).message } },
        'Redis is not reachable yet; /readyz answers 503 until it is');
    }
  } else {
    logger.warn({ event: 'store.memory' }, 'using the in-memory store (development only): everything is lost at restart');
  }

  const metrics = new Metrics();
  store.redis?.on('error', () => metrics.redisErrors.inc());
  const services = createDomainServices(settings, store, keys.material, logger, metrics);
  const material = keys.material;
  const buildProvider = (providerKeys: KeySchedule['providerKeys']) => {
    const provider = createProvider({ settings, store, keys: { ...material, jwks: { keys: providerKeys } }, logger, services });
    trackGrantUse(provider, services.grants, logger);
    metrics.watchProvider(provider);
    markDpopReplays(provider);
    return provider;
  };
  const keyring = new Keyring(settings.keysDir);
  let schedule = keyring.schedule();
  const holder = new ProviderHolder(buildProvider(schedule.providerKeys));
  const keyWatcher = setInterval(() => {
    try {
      keyring.reload();
      const next = keyring.schedule();
      if (JSON.stringify(next.providerKeys) === JSON.stringify(schedule.providerKeys)) return;
      schedule = next;
      holder.replace(buildProvider(next.providerKeys));
      logger.info({ event: 'keys.schedule_applied', keys: Object.fromEntries(next.statuses) }, 'signing keys changed');
    } catch (error) {
      logger.error({ event: 'keys.reload_failed', err: { message: (error as Error).message } }, 'could not apply the key schedule');
    }
  }, settings.config.keys.checkIntervalSeconds * 1000);
  keyWatcher.unref();

  const clients = new ClientRegistry(store.adapterFactory, store.kv, services.dataCipher, settings.config.scopes, (metadata) =>
    holder.current.Client.validate(metadata as unknown as Parameters<Provider['Client']['validate']>[0]));
  const demo = settings.demo ? await seedDemo(settings.issuer, clients, services.customers, logger) : undefined;
  const app: AppContext = {
    ...services,
    settings,
    store,
    logger,
    keys: material,
    keyring,
    demo,
    clients,
    get provider() {
      return holder.current;
    },
  };
  const publicApp = createPublicApp(app, metrics, holder.middleware());
  const adminApp = createAdminApp({ adminToken: adminToken.token, app, metrics });

  const { server: serverConfig, admin } = settings.config;
  const publicHttp = createServer(publicApp.callback());
  const adminHttp = createServer(adminApp.callback());
  const publicUrl = await listen(publicHttp, serverConfig.port, serverConfig.host);
  const adminUrl = await listen(adminHttp, admin.port, admin.host);
  logger.info({ event: 'server.started', issuer: settings.issuer, public_url: publicUrl, admin_url: adminUrl, store: store.kind }, 'renkei started');

  return {
    publicUrl,
    adminUrl,
    get provider() {
      return holder.current;
    },
    store,
    adminToken,
    app,
    async close() {
      clearInterval(keyWatcher);
      const graceMs = serverConfig.shutdownGraceSeconds * 1000;
      await Promise.all([closeServer(publicHttp, graceMs), closeServer(adminHttp, graceMs)]);
      await store.close();
    },
  };
}
