import { MISSING, readKeyFiles } from '../keys/key-files.js';
import { parseProxyRange } from '../shared/trusted-proxies.js';
import type { Settings } from './types.js';

export const MIN_ADMIN_TOKEN_LENGTH = 32;

type Rule = (settings: Settings) => string | undefined;

/** Named checks that production must pass before the server starts. */
const PRODUCTION_RULES: Record<string, Rule> = {
  requireRedis: ({ config }) =>
    config.redis.url ? undefined : 'RENKEI_REDIS_URL is not set: production needs Redis (the in-memory store is for development only)',
  requireHttpsIssuer: ({ issuer }) =>
    issuer.startsWith('https://') ? undefined : `RENKEI_ISSUER must be an https:// URL in production (now ${issuer})`,
  requireAdminToken: ({ adminToken }) => {
    if (!adminToken) return `RENKEI_ADMIN_TOKEN is not set: production needs an admin API token of at least ${MIN_ADMIN_TOKEN_LENGTH} characters`;
    if (adminToken.length < MIN_ADMIN_TOKEN_LENGTH) return `RENKEI_ADMIN_TOKEN is too short (${adminToken.length} characters, at least ${MIN_ADMIN_TOKEN_LENGTH} required)`;
    return undefined;
  },
  refuseDemo: ({ demo }) => (demo ? 'RENKEI_DEMO=1 is not allowed in production (it seeds a customer with a published password)' : undefined),
  refuseTestFastHashing: ({ config }) =>
    config.testFastHashing ? 'RENKEI_TEST_FAST_HASHING is for the test suite only: production hashes secrets with the full Argon2id parameters' : undefined,
};

const ANY_MODE_RULES: Record<string, Rule> = {
  trustedProxiesAreAddresses: ({ config: { server } }) => {
    const wrong = server.trustedProxies.filter((entry) => parseProxyRange(entry) === undefined);
    return wrong.length ? wrong.map((entry) => `server.trustedProxies: "${entry}" is not an IP address or CIDR range`).join('; ') : undefined;
  },
  headersWithinRequestTimeout: ({ config: { server } }) =>
    server.headersTimeoutMs <= server.requestTimeoutMs ? undefined : `server.headersTimeoutMs (${server.headersTimeoutMs}) must not exceed server.requestTimeoutMs (${server.requestTimeoutMs})`,
  sentinelNeedsName: ({ config }) =>
    config.redis.mode === 'sentinel' && !config.redis.sentinelName ? 'RENKEI_REDIS_SENTINEL_NAME is required with RENKEI_REDIS_MODE=sentinel' : undefined,
  clusterNeedsUrl: ({ config }) =>
    config.redis.mode !== 'single' && !config.redis.url ? `RENKEI_REDIS_MODE=${config.redis.mode} needs RENKEI_REDIS_URL (comma-separated node URLs)` : undefined,
};

/** The configuration each production rule reads (JSON pointers); the issuer, when not set, is made from the port. */
const READS: Record<keyof typeof PRODUCTION_RULES, (settings: Settings) => readonly string[]> = {
  requireRedis: () => ['/redis/url'],
  requireHttpsIssuer: ({ config }) => (config.issuer == null ? ['/issuer', '/server/port'] : ['/issuer']),
  requireAdminToken: () => [],
  refuseDemo: () => ['/demo'],
  refuseTestFastHashing: () => ['/testFastHashing'],
};

const applied = (rules: Record<string, Rule>, settings: Settings): string[] =>
  Object.values(rules)
    .map((rule) => rule(settings))
    .filter((p): p is string => p !== undefined);

// --only-missing also completes an older keys directory (e.g. one without dpop-nonce.json)
const withKeyHints = (settings: Settings, keyProblems: readonly string[]) =>
  keyProblems.map((p) => (p.endsWith(MISSING) ? `${p} (create keys with \`renkei keys generate --dir ${settings.keysDir} --only-missing\`)` : p));

/** Every reason the server must not start, given the settings and the problems found reading keys. */
export function startupProblems(settings: Settings, keyProblems: readonly string[]): string[] {
  if (settings.mode !== 'production') return applied(ANY_MODE_RULES, settings);
  return [...applied({ ...ANY_MODE_RULES, ...PRODUCTION_RULES }, settings), ...withKeyHints(settings, keyProblems)];
}

/**
 * Production's own checks and the key files, made on a configuration the schema refused (`refused`:
 * the paths it named), so that one attempt to start names everything to fix. A rule that reads a
 * refused value, or a value inside or around one, is left to the schema's message.
 */
export function productionProblemsBeside(refused: readonly string[], settings: Settings): string[] {
  const near = (path: string) => refused.some((p) => p === path || p.startsWith(`${path}/`) || path.startsWith(`${p}/`));
  const rules = Object.fromEntries(Object.entries(PRODUCTION_RULES).filter(([name]) => !READS[name as keyof typeof PRODUCTION_RULES](settings).some(near)));
  const keyProblems = near('/keysDir') ? [] : readKeyFiles(settings.keysDir).problems;
  return [...applied(rules, settings), ...withKeyHints(settings, keyProblems)];
}
