import type { Logger } from 'pino';
import type { ClientRecord } from '../clients/client-record.js';
import type { KeyMaterial } from '../keys/key-files.js';
import type { Settings } from '../settings/types.js';
import type { Store } from '../storage/store.js';
import type { EventOutbox } from './event-outbox.js';
import { MemoryGrantExpiries, RedisGrantExpiries, type GrantExpiries } from './grant-expiries.js';
import { MemoryOutbox } from './memory-outbox.js';
import { createPartnerSubject } from './partner-subject.js';
import { PartnerEvents } from './partner-events.js';
import { RedisOutbox } from './redis-outbox.js';

export interface EventServices {
  readonly events: PartnerEvents;
  readonly eventOutbox: EventOutbox;
  readonly grantExpiries: GrantExpiries;
}

/** The outbox and expiry index on the store's Redis (an in-process queue on the memory store). */
export function createEventServices(settings: Settings, store: Store, keys: KeyMaterial, logger: Logger): EventServices {
  const eventOutbox = store.redis ? new RedisOutbox(store.redis) : new MemoryOutbox();
  const grantExpiries = store.redis ? new RedisGrantExpiries(store.redis) : new MemoryGrantExpiries();
  const events = new PartnerEvents({
    issuer: settings.issuer,
    outbox: eventOutbox,
    expiries: grantExpiries,
    findClient: async (clientId) => (await store.adapterFactory('Client').find(clientId)) as ClientRecord | undefined,
    partnerSubject: createPartnerSubject(keys.dataKeys),
    logger,
  });
  return { events, eventOutbox, grantExpiries };
}
