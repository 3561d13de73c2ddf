/** Which environment variable overrides which configuration path. */
export const ENV_OVERRIDES = [
  { env: 'RENKEI_ISSUER', path: ['issuer'], type: 'string' },
  { env: 'RENKEI_PORT', path: ['server', 'port'], type: 'integer' },
  { env: 'RENKEI_HOST', path: ['server', 'host'], type: 'string' },
  { env: 'RENKEI_TRUST_PROXY', path: ['server', 'trustProxy'], type: 'boolean' },
  { env: 'RENKEI_ADMIN_PORT', path: ['admin', 'port'], type: 'integer' },
  { env: 'RENKEI_ADMIN_HOST', path: ['admin', 'host'], type: 'string' },
  { env: 'RENKEI_REDIS_URL', path: ['redis', 'url'], type: 'string' },
  { env: 'RENKEI_REDIS_MODE', path: ['redis', 'mode'], type: 'string' },
  { env: 'RENKEI_REDIS_SENTINEL_NAME', path: ['redis', 'sentinelName'], type: 'string' },
  { env: 'RENKEI_KEYS_DIR', path: ['keysDir'], type: 'string' },
  { env: 'RENKEI_DEMO', path: ['demo'], type: 'boolean' },
  { env: 'RENKEI_LOG_LEVEL', path: ['logLevel'], type: 'string' },
  { env: 'RENKEI_TEST_FAST_HASHING', path: ['testFastHashing'], type: 'boolean' },
] as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Env strings are parsed leniently; a value that does not parse is passed on as-is so that
 * validation reports it against the schema under the variable's name. */
function parseEnvValue(raw: string, type: 'string' | 'integer' | 'boolean'): unknown {
  if (type === 'integer') return /^\d+$/.test(raw) ? Number(raw) : raw;
  if (type === 'boolean') {
    if (raw === '1' || raw === 'true') return true;
    if (raw === '0' || raw === 'false') return false;
    return raw;
  }
  return raw;
}

export function applyEnvOverrides(config: Record<string, unknown>, env: Env): void {
  for (const { env: name, path, type } of ENV_OVERRIDES) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let node = config;
    for (const key of path.slice(0, -1)) {
      const child = node[key];
      if (typeof child !== 'object' || child === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = parseEnvValue(raw, type);
  }
}

/** "/server/port" → "RENKEI_PORT", for error messages. */
export function envNameFor(instancePath: string): string | undefined {
  return ENV_OVERRIDES.find(({ path }) => '/' + path.join('/') === instancePath)?.env;
}
