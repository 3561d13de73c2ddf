import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { applyEnvOverrides } from './env-overrides.js';
import { projectRoot } from './project-root.js';
import type { RenkeiConfig, RunMode, Settings } from './types.js';
import { whereJsonBreaks } from '../shared/json-position.js';
import { createConfigValidator, type ConfigProblem } from './validate-config.js';
import { productionProblemsBeside } from './production-rules.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The configuration cannot be used; `problems` lists every reason at once. */
export class SettingsError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`renkei cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

function readJsonFile(path: string, problems: string[]): Record<string, unknown> | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      problems.push(`${path}: ${whereJsonBreaks(text)}`);
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      problems.push(`${path}: expected a JSON object`);
      return undefined;
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    problems.push(`${path}: ${(error as Error).message}`);
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; anything else (arrays included) is replaced. */
export function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeConfig(current, value) : value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

let validator: ReturnType<typeof createConfigValidator> | undefined;

function configValidator(root: string) {
  validator ??= createConfigValidator(JSON.parse(readFileSync(resolve(root, 'config/schema.json'), 'utf8')) as object);
  return validator;
}

export interface LoadOptions {
  readonly env?: Env;
  /** base directory for relative paths (RENKEI_CONFIG, RENKEI_KEYS_DIR, .renkei/); defaults to the cwd */
  readonly cwd?: string;
  /**
   * For the server's start: in production, a configuration the schema refuses is reported with
   * what production's own checks find (Redis, admin token, key files), which a CLI command that
   * needs none of them must not be told.
   */
  readonly startingServer?: boolean;
}

/** Reads config/default.json, config/production.json (production), RENKEI_CONFIG and the
 * RENKEI_* variables; validates the result against config/schema.json; returns it frozen. */
export function loadSettings({ env = process.env, cwd = process.cwd(), startingServer = false }: LoadOptions = {}): Settings {
  const root = projectRoot();
  const mode: RunMode = env.NODE_ENV === 'production' ? 'production' : 'development';
  const problems: string[] = [];

  const files = [resolve(root, 'config/default.json')];
  if (mode === 'production') files.push(resolve(root, 'config/production.json'));
  if (env.RENKEI_CONFIG) {
    const extra = isAbsolute(env.RENKEI_CONFIG) ? env.RENKEI_CONFIG : resolve(cwd, env.RENKEI_CONFIG);
    if (existsSync(extra)) files.push(extra);
    else problems.push(`RENKEI_CONFIG: file ${extra} does not exist`);
  }

  let merged: Record<string, unknown> = {};
  for (const file of files) {
    const contents = readJsonFile(file, problems);
    if (contents) merged = mergeConfig(merged, contents);
  }
  applyEnvOverrides(merged, env);
  const schemaProblems = configValidator(root)(merged);
  if (startingServer && problems.length === 0 && schemaProblems.length > 0 && mode === 'production') {
    // what production's own checks can already tell (Redis, admin token, key files), so that one
    // attempt to start names everything there is to fix; a value the schema refused is named once
    const refused = schemaProblems.map((p: ConfigProblem) => p.path);
    throw new SettingsError([...schemaProblems.map((p) => p.message), ...productionProblemsBeside(refused, settingsFrom(merged, { mode, env, cwd, files }))]);
  }
  problems.push(...schemaProblems.map((p: ConfigProblem) => p.message));
  if (problems.length > 0) throw new SettingsError(problems);
  return deepFreeze(settingsFrom(merged, { mode, env, cwd, files }));
}

/** The settings the merged configuration makes (frozen by the caller once it is known to be valid). */
function settingsFrom(merged: Record<string, unknown>, { mode, env, cwd, files }: { mode: RunMode; env: Env; cwd: string; files: readonly string[] }): Settings {
  const config = merged as unknown as RenkeiConfig;
  const adminToken = env.RENKEI_ADMIN_TOKEN === '' ? undefined : env.RENKEI_ADMIN_TOKEN;
  const keysDir = typeof config.keysDir === 'string' ? config.keysDir : 'keys';
  // a configuration the schema refused may hold anything here (the server block null, say)
  const port = (config.server as Partial<RenkeiConfig['server']> | null | undefined)?.port;
  return {
    mode,
    issuer: config.issuer ?? `http://localhost:${port}`,
    demo: config.demo ?? mode === 'development',
    config,
    keysDir: isAbsolute(keysDir) ? keysDir : resolve(cwd, keysDir),
    adminToken,
    adminTokenFile: resolve(cwd, '.renkei/admin-token'),
    configFiles: [...files],
  };
}
