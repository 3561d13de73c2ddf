import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadSettings, SettingsError } from '../../../src/settings/load-settings.js';
import { startupProblems } from '../../../src/settings/production-rules.js';

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

function configFile(contents: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-config-'));
  const file = join(dir, 'extra.json');
  writeFileSync(file, JSON.stringify(contents));
  return file;
}

describe('loadSettings', () => {
  it('gives the documented development defaults', () => {
    const settings = loadSettings({ env: {} });
    expect(settings.mode).toBe('development');
    expect(settings.issuer).toBe('http://localhost:3000');
    expect(settings.demo).toBe(true);
    expect(settings.config.server).toMatchObject({ port: 3000, host: '0.0.0.0', trustProxy: false });
    expect(settings.config.admin).toEqual({ port: 3001, host: '127.0.0.1' });
    expect(settings.config.redis.url).toBeNull();
    expect(settings.config.ttl).toMatchObject({ authorizationCodeSeconds: 60, accessTokenSeconds: 600 });
    expect(settings.config.grant.ttlDays).toBe(90);
    expect(settings.config.challenge.digits).toBe(3);
    expect(settings.config.lockout.maxFailures).toBe(5);
    expect(settings.config.risk).toEqual({ additionalAuth: 'risk', deviceTtlDays: 90 });
    expect(settings.config.scopes.transfers).toMatchObject({ ja: '振込の依頼', highRisk: true });
    expect(settings.config.scopes.accounts!.highRisk).toBe(false);
  });

  it('applies RENKEI_* overrides and derives the issuer from the port', () => {
    const settings = loadSettings({
      env: { RENKEI_PORT: '8080', RENKEI_DEMO: '0', RENKEI_TRUST_PROXY: '1', RENKEI_REDIS_URL: 'redis://127.0.0.1:6380', RENKEI_LOG_LEVEL: 'debug' },
    });
    expect(settings.issuer).toBe('http://localhost:8080');
    expect(settings.demo).toBe(false);
    expect(settings.config.server.trustProxy).toBe(true);
    expect(settings.config.redis.url).toBe('redis://127.0.0.1:6380');
    expect(settings.config.logLevel).toBe('debug');
  });

  it('merges the RENKEI_CONFIG file over the defaults', () => {
    const file = configFile({ challenge: { digits: 4 }, scopes: { balances: { ja: '残高の照会', en: 'View balances' } } });
    const settings = loadSettings({ env: { RENKEI_CONFIG: file } });
    expect(settings.config.challenge.digits).toBe(4);
    expect(Object.keys(settings.config.scopes)).toContain('balances');
    expect(Object.keys(settings.config.scopes)).toContain('openid');
    expect(settings.configFiles).toContain(file);
  });

  it('reports every invalid value at once, naming the path (and variable), the value and what was expected', () => {
    const file = configFile({ lockout: { maxFailures: 0, maxFailure: 3 }, risk: { additionalAuth: 'sometimes' }, colour: 'blue' });
    const problems = problemsOf(() => loadSettings({ env: { RENKEI_CONFIG: file, RENKEI_PORT: 'eighty', RENKEI_REDIS_URL: 'http://nope' } }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^RENKEI_PORT \(\/server\/port\): "eighty" is invalid, expected a whole number$/),
        expect.stringMatching(/^RENKEI_REDIS_URL \(\/redis\/url\): "http:\/\/nope" is invalid/),
        expect.stringMatching(/^\/lockout\/maxFailures: 0 is invalid, expected at least 1$/),
        expect.stringMatching(/^\/risk\/additionalAuth: "sometimes" is invalid, expected one of "risk", "always", "never"/),
        expect.stringMatching(/^\/colour: "blue" is not a setting here, expected one of .*\bserver, admin, redis\b.*\bbank\b/),
        '/lockout/maxFailure: 3 is not a setting here (did you mean /lockout/maxFailures?), expected one of maxFailures',
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('says where a configuration file stops being JSON (line and column), without quoting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, '{\n  "bank": {\n    "nameJa": "さくら信用組合",\n  }\n}\n');
    expect(problemsOf(() => loadSettings({ env: { RENKEI_CONFIG: file } }))).toEqual([`${file}: not valid JSON at line 4, column 3`]);
    writeFileSync(file, '{"bank": {');
    expect(problemsOf(() => loadSettings({ env: { RENKEI_CONFIG: file } }))).toEqual([`${file}: not valid JSON: it ends at line 1, column 11 before the JSON is complete`]);
  });

  it('says in words what a switch set by an environment variable takes', () => {
    const problems = problemsOf(() => loadSettings({ env: { RENKEI_TRUST_PROXY: '2', RENKEI_DEMO: 'yes' } }));
    expect(problems).toEqual(expect.arrayContaining([
      'RENKEI_TRUST_PROXY (/server/trustProxy): "2" is invalid, expected 1 or 0',
      'RENKEI_DEMO (/demo): "yes" is invalid, expected 1 or 0',
    ]));
  });

  it('says in words what an issuer and a Redis URL must look like; an issuer with a path is refused', () => {
    const problems = problemsOf(() => loadSettings({ env: { RENKEI_ISSUER: 'https://bank.example/oidc', RENKEI_REDIS_URL: 'http://nope' } }));
    expect(problems).toEqual([
      'RENKEI_ISSUER (/issuer): "https://bank.example/oidc" is invalid, expected an http(s) origin without a path, such as https://auth.bank.example (discovery and every endpoint are served at the root)',
      'RENKEI_REDIS_URL (/redis/url): "http://nope" is invalid, expected a redis:// or rediss:// URL',
    ]);
    for (const accepted of ['https://auth.bank.example', 'http://localhost:3000']) {
      expect(loadSettings({ env: { RENKEI_ISSUER: accepted } }).config.issuer).toBe(accepted);
    }
    for (const refused of ['https://auth.bank.example/', 'https://auth.bank.example?x=1', 'ftp://auth.bank.example']) {
      expect(problemsOf(() => loadSettings({ env: { RENKEI_ISSUER: refused } }))).toHaveLength(1);
    }
  });

  it('never repeats the password of an invalid Redis URL', () => {
    const problems = problemsOf(() => loadSettings({ env: { RENKEI_REDIS_URL: 'redis://:hunter2-redis-pw@cache.internal:6379 extra' } }));
    expect(problems).toEqual([expect.stringMatching(/^RENKEI_REDIS_URL \(\/redis\/url\): "redis:\/\/\*\*\*@cache\.internal:6379 extra" is invalid/)]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('names a missing RENKEI_CONFIG file', () => {
    expect(problemsOf(() => loadSettings({ env: { RENKEI_CONFIG: '/nonexistent/renkei.json' } }))).toEqual([
      'RENKEI_CONFIG: file /nonexistent/renkei.json does not exist',
    ]);
  });

  it('returns frozen settings', () => {
    const settings = loadSettings({ env: {} });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.config.lockout)).toBe(true);
    expect(() => {
      (settings.config.lockout as { maxFailures: number }).maxFailures = 99;
    }).toThrow(TypeError);
  });
});

describe('production requirements', () => {
  it('names each missing piece: Redis, https issuer, admin token, keys and cookie secrets', () => {
    const settings = loadSettings({ env: { NODE_ENV: 'production' } });
    expect(settings.demo).toBe(false);
    const problems = startupProblems(settings, ['signing keys: keys/jwks.json is missing', 'cookie secrets: keys/cookies.json is missing']);
    expect(problems).toEqual([
      expect.stringContaining('RENKEI_REDIS_URL is not set'),
      expect.stringContaining('RENKEI_ISSUER must be an https:// URL'),
      expect.stringContaining('RENKEI_ADMIN_TOKEN is not set'),
      expect.stringMatching(/^signing keys: keys\/jwks.json is missing \(create keys with `renkei keys generate/),
      expect.stringMatching(/^cookie secrets: keys\/cookies.json is missing/),
    ]);
  });

  it('refuses a short admin token and the demo', () => {
    const settings = loadSettings({
      env: { NODE_ENV: 'production', RENKEI_ADMIN_TOKEN: 'short', RENKEI_DEMO: '1', RENKEI_REDIS_URL: 'redis://r:6379', RENKEI_ISSUER: 'https://auth.example.jp' },
    });
    expect(startupProblems(settings, [])).toEqual([
      'RENKEI_ADMIN_TOKEN is too short (5 characters, at least 32 required)',
      expect.stringContaining('RENKEI_DEMO=1 is not allowed in production'),
    ]);
  });

  it('names, beside a value the schema refused, what production still lacks, so that one start names everything to fix', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'renkei-prod-'));
    const problems = problemsOf(() => loadSettings({ cwd, startingServer: true, env: { NODE_ENV: 'production', RENKEI_ISSUER: 'auth.example.jp' } }));
    expect(problems).toEqual([
      expect.stringMatching(/^RENKEI_ISSUER \(\/issuer\): "auth.example.jp" is invalid/),
      expect.stringContaining('RENKEI_REDIS_URL is not set'),
      expect.stringContaining('RENKEI_ADMIN_TOKEN is not set'),
      `signing keys: ${join(cwd, 'keys/jwks.json')} is missing (create keys with \`renkei keys generate --dir ${join(cwd, 'keys')} --only-missing\`)`,
      expect.stringMatching(/^cookie secrets: /),
      expect.stringMatching(/^data keys: /),
      expect.stringMatching(/^DPoP nonce secret: /),
    ]);
  });

  it('leaves a check that reads a refused value to the schema\'s message (the issuer made from an invalid port, an invalid Redis URL)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'renkei-prod-'));
    const problems = problemsOf(() => loadSettings({ cwd, startingServer: true, env: { NODE_ENV: 'production', RENKEI_PORT: '99999', RENKEI_REDIS_URL: 'http://nope', RENKEI_ADMIN_TOKEN: 'a'.repeat(32) } }));
    expect(problems.filter((p) => !/ is missing \(create keys/.test(p))).toEqual([
      expect.stringMatching(/^RENKEI_PORT \(\/server\/port\): 99999 is invalid/),
      expect.stringMatching(/^RENKEI_REDIS_URL \(\/redis\/url\): "http:\/\/nope" is invalid/),
    ]);
  });

  it('in development, and for anything but the server’s start (a CLI command), names only what the schema refused', () => {
    expect(problemsOf(() => loadSettings({ startingServer: true, env: { RENKEI_PORT: '99999' } }))).toEqual([expect.stringMatching(/^RENKEI_PORT \(\/server\/port\)/)]);
    expect(problemsOf(() => loadSettings({ env: { NODE_ENV: 'production', RENKEI_PORT: '99999' } }))).toEqual([expect.stringMatching(/^RENKEI_PORT \(\/server\/port\)/)]);
  });

  it('accepts a complete production environment', () => {
    const settings = loadSettings({
      env: { NODE_ENV: 'production', RENKEI_ADMIN_TOKEN: 'a'.repeat(32), RENKEI_REDIS_URL: 'redis://r:6379', RENKEI_ISSUER: 'https://auth.example.jp' },
    });
    expect(startupProblems(settings, [])).toEqual([]);
  });
});
