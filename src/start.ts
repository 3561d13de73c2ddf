import { once } from 'node:events';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { createAdminApp } from './admin/admin-app.js';
import { Metrics } from './admin/metrics.js';
import { resolveAdminToken, type ResolvedAdminToken } from './admin/admin-token.js';
import { loadKeys } from './keys/load-keys.js';
import { createProvider } from './provider/create-provider.js';
import { ClientFailureLimiter } from './provider/client-failure-limiter.js';
import { createPublicApp } from './server.js';
import { SettingsError } from './settings/load-settings.js';
import { startupProblems } from './settings/production-rules.js';
import type { Settings } from './settings/types.js';
import { waitForRedis } from './storage/redis-connection.js';
import { createStore, type Store } from './storage/store.js';
import { createChangeChannels } from './storage/change-channels.js';
import { createDomainServices, type AppContext } from './services.js';
import { trackGrantUse } from './grants/track-grant-use.js';
import { watchGrantLifecycle } from './events/provider-grant-events.js';
import { startEventDelivery } from './events/start-event-delivery.js';
import type { DeliveryWorker } from './events/delivery-worker.js';
import { DEMO_CLIENT_ID, DEMO_CUSTOMER, seedDemo, type DemoSetup } from './demo/seed-demo.js';
import { ClientRegistry } from './clients/client-registry.js';
import { withClientCache } from './clients/client-cache.js';
import { Keyring } from './keys/keyring.js';
import { useTestArgon2idParameters } from './accounts/secret-hash.js';
import { JWKS_FILE } from './keys/key-files.js';
import type { KeySchedule } from './keys/key-schedule.js';
import { ProviderHolder } from './provider/provider-holder.js';
import { markDpopProofErrors } from './provider/dpop-proof-errors.js';
import { HttpListener } from './shared/http-listener.js';
import { refusedRequestPage } from './shared/refused-request-page.js';
import { releasingCallback } from './shared/releasing-callback.js';
import { publicListenerHeaders } from './shared/security-headers.js';
import { noticeProxyTrust } from './shared/proxy-notice.js';
import { noticeExampleBank } from './shared/example-bank-notice.js';
import { runWhenRedisReady } from './shared/when-redis-ready.js';

export interface RunningRenkei {
  readonly publicUrl: string;
  readonly adminUrl: string;
  readonly provider: Provider;
  readonly store: Store;
  readonly adminToken: ResolvedAdminToken;
  readonly app: AppContext;
  /** this instance's event delivery worker (SPEC §9) */
  readonly eventWorker: DeliveryWorker;
  close(): Promise<void>;
}

async function listen(server: Server, port: number, host: string): Promise<string> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The demo partner and customer. Seeded now when Redis answers; otherwise (development with
 * Redis not up yet) as soon as it does, the same object then receiving the partner's secret.
 */
async function prepareDemo(
  settings: Settings, store: Store, clients: ClientRegistry, customers: AppContext['customers'], logger: Logger,
): Promise<{ demo: DemoSetup; stop: () => void }> {
  if (!store.redis || store.redis.status === 'ready') return { demo: await seedDemo(settings.issuer, clients, customers, logger), stop: () => {} };
  const demo: Mutable<DemoSetup> = { clientId: DEMO_CLIENT_ID, clientSecret: '', redirectUri: `${settings.issuer}/demo/callback`, customer: DEMO_CUSTOMER };
  logger.warn({ event: 'demo.deferred' }, 'the demo partner and customer are seeded once Redis answers');
  const stop = runWhenRedisReady(store.redis, 'demo seeding', async () => {
    Object.assign(demo, await seedDemo(settings.issuer, clients, customers, logger));
  }, logger);
  return { demo, stop };
}

/** Builds every dependency from the settings and starts both listeners. */
export async function startRenkei(settings: Settings, logger: Logger): Promise<RunningRenkei> {
  const keys = await loadKeys(settings, logger);
  const adminToken = resolveAdminToken(settings);
  const problems = startupProblems(settings, keys.problems);
  if (settings.mode === 'development') problems.push(...keys.problems);
  if (problems.length || !keys.material || !adminToken) throw new SettingsError(problems);
  useTestArgon2idParameters(settings.config.testFastHashing);
  if (settings.config.testFastHashing) logger.warn({ event: 'hashing.test_parameters' }, 'RENKEI_TEST_FAST_HASHING: secrets are hashed with test-only Argon2id parameters');

  const storage = createStore(settings.config.redis, logger);
  // one subscriber connection: how every instance hears of changed clients and customers
  const changes = createChangeChannels(storage.redis, logger);
  const store = withClientCache(storage, changes);
  if (store.redis) {
    try {
      await waitForRedis(store.redis, settings.config.redis.connectTimeoutMs * 2);
    } catch (error) {
      logger.error({ event: 'redis.unavailable', err: { message: (error as Error).message } },
        'Redis is not reachable yet; /readyz answers 503 until it is');
    }
  } else {
    logger.warn({ event: 'store.memory' }, 'using the in-memory store (development only): everything is lost at restart');
  }

  const metrics = new Metrics();
  store.redis?.on('error', () => metrics.redisErrors.inc());
  const services = createDomainServices(settings, store, changes, keys.material, logger, metrics);
  const material = keys.material;
  const buildProvider = (providerKeys: KeySchedule['providerKeys']) => {
    const provider = createProvider({ settings, store, keys: { ...material, jwks: { keys: providerKeys } }, logger, services });
    trackGrantUse(provider, services.grants, logger);
    watchGrantLifecycle(provider, { events: services.events, grants: services.grants, kv: store.kv, logger, audit: services.audit, customers: services.customers });
    metrics.watchProvider(provider);
    markDpopProofErrors(provider);
    return provider;
  };
  const keyring = new Keyring(settings.keysDir);
  let schedule = keyring.schedule();
  metrics.watchKeyring(keyring, join(settings.keysDir, JWKS_FILE));
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
    holder.current.Client.validate(metadata as unknown as Parameters<Provider['Client']['validate']>[0]), { loopbackJwksUri: settings.mode === 'development' });
  const demoSeeding = settings.demo ? await prepareDemo(settings, store, clients, services.customers, logger) : undefined;
  const demo = demoSeeding?.demo;
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
  const eventWorker = startEventDelivery({ settings, store, services, clients, keyring, metrics, logger });
  // failure budgets of client authentication, shared by the instances through Redis
  const clientFailures = new ClientFailureLimiter(store.redis, settings.config.clientThrottle);
  const publicApp = createPublicApp(app, metrics, holder.middleware(), clientFailures);
  const adminApp = createAdminApp({ adminToken: adminToken.token, app, metrics });

  const { server: serverConfig, admin } = settings.config;
  const publicHttp = new HttpListener(releasingCallback(publicApp), serverConfig, refusedRequestPage({
    bankName: settings.config.bank.nameJa, contact: settings.config.bank.contact, headers: publicListenerHeaders(settings.issuer), logger,
  }));
  const adminHttp = new HttpListener(adminApp.callback(), serverConfig);
  const publicUrl = await listen(publicHttp.server, serverConfig.port, serverConfig.host);
  const adminUrl = await listen(adminHttp.server, admin.port, admin.host);
  logger.info({ event: 'server.started', issuer: settings.issuer, public_url: publicUrl, admin_url: adminUrl, store: store.kind }, 'renkei started');
  noticeProxyTrust(settings, logger);
  noticeExampleBank(settings, logger);

  return {
    publicUrl,
    adminUrl,
    get provider() {
      return holder.current;
    },
    store,
    adminToken,
    app,
    eventWorker,
    async close() {
      clearInterval(keyWatcher);
      await eventWorker.stop();
      demoSeeding?.stop();
      const graceMs = serverConfig.shutdownGraceSeconds * 1000;
      await Promise.all([publicHttp.drain(graceMs), adminHttp.drain(graceMs)]);
      clientFailures.close();
      await changes.close();
      await store.close();
    },
  };
}
