import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { CustomerDirectory } from './accounts/customer-directory.js';
import type { AccountSource } from './accounts/account-source/account-source.js';
import { createAccountSource } from './accounts/account-source/create-account-source.js';
import { DirectoryAccounts } from './accounts/account-source/directory-accounts.js';
import { DeviceRegistry } from './accounts/device-registry.js';
import { DigitPositions } from './accounts/digit-positions.js';
import { FactorChecks } from './accounts/factor-checks.js';
import { Lockout } from './accounts/lockout.js';
import { Throttle } from './accounts/throttle.js';
import { UserNumberCipher } from './accounts/user-number-cipher.js';
import { GrantIndex } from './grants/grant-index.js';
import { createEventServices, type EventServices } from './events/create-events.js';
import type { DemoSetup } from './demo/seed-demo.js';
import type { ClientRegistry } from './clients/client-registry.js';
import { DataCipher } from './keys/data-cipher.js';
import type { KeyMaterial } from './keys/key-files.js';
import type { Keyring } from './keys/keyring.js';
import type { Settings } from './settings/types.js';
import { createAudit, type Audit } from './shared/audit.js';
import type { Metrics } from './admin/metrics.js';
import type { ChangeChannels } from './storage/change-channels.js';
import type { Store } from './storage/store.js';

/** The domain services every screen and API uses, built once from the store and settings. */
export interface DomainServices extends EventServices {
  readonly customers: CustomerDirectory;
  readonly lockout: Lockout;
  /** one factor check at a time per customer on this instance (see factor-checks.ts) */
  readonly factorChecks: FactorChecks;
  readonly devices: DeviceRegistry;
  /** the 利用者番号 positions each customer is asked */
  readonly digitPositions: DigitPositions;
  readonly throttle: Throttle;
  readonly grants: GrantIndex;
  readonly audit: Audit;
  /** seals client secrets at rest */
  readonly dataCipher: DataCipher;
  /** the accounts operators register with customers (accounts.source directory) */
  readonly directoryAccounts: DirectoryAccounts;
  /** where consent finds a customer's accounts (accounts.source) */
  readonly accountSource: AccountSource;
}

export function createDomainServices(settings: Settings, store: Store, changes: ChangeChannels, keys: KeyMaterial, logger: Logger, metrics?: Metrics): DomainServices {
  const { config } = settings;
  const customers = new CustomerDirectory(store.kv, new UserNumberCipher(keys.dataKeys), changes);
  const directoryAccounts = new DirectoryAccounts(customers);
  return {
    directoryAccounts,
    accountSource: createAccountSource(config.accounts, directoryAccounts),
    customers,
    lockout: new Lockout(store.kv, customers, config.lockout.maxFailures),
    factorChecks: new FactorChecks(),
    devices: new DeviceRegistry(store.kv, config.risk.deviceTtlDays),
    digitPositions: new DigitPositions(store.kv, config.challenge.digits),
    throttle: new Throttle(store.redis, config.throttle, () => metrics?.throttled.inc({ limiter: 'customer_ip' })),
    grants: new GrantIndex(store.kv),
    audit: createAudit(logger, (event, fields) => metrics?.observeAudit(event, fields)),
    dataCipher: new DataCipher(keys.dataKeys),
    ...createEventServices(settings, store, keys, logger),
  };
}

/** Everything the public app is assembled from. */
export interface AppContext extends DomainServices {
  readonly settings: Settings;
  readonly store: Store;
  readonly provider: Provider;
  readonly logger: Logger;
  readonly keys: KeyMaterial;
  readonly clients: ClientRegistry;
  /** keys/jwks.json and its rotation schedule */
  readonly keyring: Keyring;
  /** the demo partner, when RENKEI_DEMO=1 */
  readonly demo: DemoSetup | undefined;
}
