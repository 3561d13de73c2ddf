import type { Logger } from 'pino';
import type { Metrics } from '../admin/metrics.js';
import { eventsAuthorizationBinding, type ClientRegistry } from '../clients/client-registry.js';
import type { Keyring } from '../keys/keyring.js';
import type { DomainServices } from '../services.js';
import type { Settings } from '../settings/types.js';
import type { Store } from '../storage/store.js';
import { DeliveryWorker } from './delivery-worker.js';
import { createExpirySweep } from './expiry-sweep.js';
import { currentSigningKey, SetSigner } from './set-signer.js';

/** The delivery worker of this instance, started; a partner's new endpoint gets a verification event. */
export function startEventDelivery(deps: {
  settings: Settings;
  store: Store;
  services: DomainServices;
  clients: ClientRegistry;
  keyring: Keyring;
  metrics: Metrics;
  logger: Logger;
}): DeliveryWorker {
  const { settings, store, services, clients, keyring, metrics, logger } = deps;
  clients.onEventsConfigured(async (record) => {
    await services.events.verify(record.client_id);
  });
  const worker = new DeliveryWorker({
    outbox: services.eventOutbox,
    signer: new SetSigner(() => currentSigningKey(keyring.schedule())),
    config: settings.config.events,
    logger,
    findClient: (clientId) => clients.get(clientId),
    openAuthorization: (clientId, sealed) => services.dataCipher.open(sealed, eventsAuthorizationBinding(clientId)),
    metrics: metrics.events,
    // outside production a receiver on the developer's machine (loopback) is allowed, as for jwks_uri
    publicReceiversOnly: settings.mode === 'production',
    onRound: createExpirySweep({ expiries: services.grantExpiries, adapterFactory: store.adapterFactory, grants: services.grants, events: services.events, logger,
      onExpired: () => metrics.revocations.inc({ cause: 'expiry' }) }),
  });
  worker.start();
  return worker;
}
