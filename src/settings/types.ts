export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type RedisMode = 'single' | 'cluster' | 'sentinel';
export type AdditionalAuthPolicy = 'risk' | 'always' | 'never';
export type RunMode = 'development' | 'production';

export interface ScopeDescription {
  readonly ja: string;
  readonly en: string;
  readonly highRisk: boolean;
  readonly hidden: boolean;
}

/** The validated contents of config/*.json plus environment overrides (see config/schema.json). */
export interface RenkeiConfig {
  readonly issuer: string | null;
  readonly keysDir: string;
  readonly demo: boolean | null;
  readonly logLevel: LogLevel;
  /** tests only (RENKEI_TEST_FAST_HASHING): cheap Argon2id parameters; refused in production */
  readonly testFastHashing: boolean;
  readonly server: {
    readonly port: number;
    readonly host: string;
    readonly trustProxy: boolean;
    /** with trustProxy: whose forwarded headers are believed (IP or CIDR); empty: any peer's */
    readonly trustedProxies: readonly string[];
    readonly shutdownGraceSeconds: number;
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly maxHeaderBytes: number;
  };
  readonly admin: { readonly port: number; readonly host: string };
  readonly redis: {
    readonly url: string | null;
    readonly mode: RedisMode;
    readonly sentinelName: string | null;
    readonly commandTimeoutMs: number;
    readonly connectTimeoutMs: number;
    readonly slotMigrationWaitMs: number;
  };
  readonly ttl: {
    readonly authorizationCodeSeconds: number;
    readonly accessTokenSeconds: number;
    readonly idTokenSeconds: number;
    readonly interactionSeconds: number;
    readonly sessionSeconds: number;
    readonly pushedAuthorizationRequestSeconds: number;
  };
  readonly grant: { readonly ttlDays: number };
  /** SSF/CAEP events pushed to partners: retries with doubling waits for retryForSeconds, then dead-lettered */
  readonly events: {
    readonly retryForSeconds: number;
    readonly initialBackoffMs: number;
    readonly maxBackoffSeconds: number;
    readonly timeoutMs: number;
    readonly pollIntervalMs: number;
  };
  readonly challenge: { readonly digits: number };
  readonly lockout: { readonly maxFailures: number };
  readonly throttle: { readonly failuresPerIp: number; readonly windowSeconds: number };
  readonly clientThrottle: { readonly failuresPerClient: number; readonly failuresPerIp: number; readonly windowSeconds: number };
  readonly dpop: { readonly requireNonce: { readonly fapi2: boolean; readonly standard: boolean } };
  readonly risk: { readonly additionalAuth: AdditionalAuthPolicy; readonly deviceTtlDays: number };
  readonly scopes: Readonly<Record<string, ScopeDescription>>;
  readonly links: { readonly apiTermsUrl: string };
  readonly bank: { readonly nameJa: string; readonly nameEn: string; readonly contact: BankContact };
  readonly keys: { readonly rotationDelaySeconds: number; readonly checkIntervalSeconds: number };
  readonly resources: Readonly<Record<string, ResourceDescription>>;
  readonly mtls: { readonly certificateHeader: string; readonly verifiedHeader: string };
  readonly accounts: { readonly source: 'directory' | 'http'; readonly http: AccountsHttpConfig };
}

/** The credit union's account service (accounts.source http); secrets only as paths of files. */
export interface AccountsHttpConfig {
  readonly url: string | null;
  readonly tokenFile: string | null;
  readonly clientCertFile: string | null;
  readonly clientKeyFile: string | null;
  readonly caFile: string | null;
  readonly timeoutMs: number;
  readonly breakerFailures: number;
  readonly breakerCooldownSeconds: number;
}

/** Where customers call, e.g. to unlock their account (shown on locked, error and 503 pages). */
export interface BankContact {
  readonly phone: string;
  readonly hours: { readonly ja: string; readonly en: string };
}

export interface ResourceDescription {
  readonly scope: string;
  readonly accessTokenFormat: 'jwt' | 'opaque';
  readonly accessTokenSeconds: number;
}

/** Everything the server needs to know about its environment, resolved once at start. */
export interface Settings {
  readonly mode: RunMode;
  readonly issuer: string;
  readonly demo: boolean;
  readonly config: RenkeiConfig;
  /** absolute path of the keys directory */
  readonly keysDir: string;
  /** bearer token for the admin API when given by RENKEI_ADMIN_TOKEN */
  readonly adminToken: string | undefined;
  /** where the development server keeps its generated admin token */
  readonly adminTokenFile: string;
  /** the files merged into config, in order */
  readonly configFiles: readonly string[];
}
