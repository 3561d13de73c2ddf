import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { CustomerDirectory } from './accounts/customer-directory.js';
import { DeviceRegistry } from './accounts/device-registry.js';
import { Lockout } from './accounts/lockout.js';
import { Throttle } from './accounts/throttle.js';
import { UserNumberCipher } from './accounts/user-number-cipher.js';
import { GrantIndex } from './grants/grant-index.js';
import type { DemoSetup } from './demo/seed-demo.js';
import type { KeyMaterial } from './keys/key-files.js';
import type { Settings } from './settings/types.js';
import { createAudit, type Audit } from './shared/audit.js';
import type { Store } from './storage/store.js';

/** The domain services every screen and API uses, built once from the store and settings. */
export interface DomainServices {
  readonly customers: CustomerDirectory;
  readonly lockout: Lockout;
  readonly devices: DeviceRegistry;
  readonly throttle: Throttle;
  readonly grants: GrantIndex;
  readonly audit: Audit;
}

export function createDomainServices(settings: Settings, store: Store, keys: KeyMaterial, logger: Logger): DomainServices {
  const { config } = settings;
  const customers = new CustomerDirectory(store.kv, new UserNumberCipher(keys.dataKeys));
  return {
    customers,
    lockout: new Lockout(store.kv, customers, config.lockout.maxFailures),
    devices: new DeviceRegistry(store.kv, config.risk.deviceTtlDays),
    throttle: new Throttle(store.redis, config.throttle),
    grants: new GrantIndex(store.kv),
    audit: createAudit(logger),
  };
}

/** Everything the public app is assembled from. */
export interface AppContext extends DomainServices {
  readonly settings: Settings;
  readonly store: Store;
  readonly provider: Provider;
  readonly logger: Logger;
  readonly keys: KeyMaterial;
  /** the demo partner, when RENKEI_DEMO=1 */
  readonly demo: DemoSetup | undefined;
}
