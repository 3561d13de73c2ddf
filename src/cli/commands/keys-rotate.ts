import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Keyring, retireAfterSeconds, type RotationResult } from '../../keys/keyring.js';
import { loadSettings, SettingsError } from '../../settings/load-settings.js';
import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import { optionalString } from '../args.js';
import { refused, usageError } from '../cli-errors.js';
import type { Command, CommandContext } from '../command.js';
import { printJson, table, when } from '../output.js';

/**
 * --dir: rotates keys/jwks.json where it is kept, with no server (read-only mounts): the delay and
 * the old keys' publication as the configuration (RENKEI_CONFIG) sets them for the servers.
 */
async function rotateOffline({ env, cwd }: CommandContext, dir: string, delay: number | undefined): Promise<RotationResult> {
  let config;
  try {
    ({ config } = loadSettings({ env, cwd }));
  } catch (error) {
    if (error instanceof SettingsError) throw refused(error.message);
    throw error;
  }
  const keysDir = resolve(cwd, dir);
  if (!existsSync(join(keysDir, 'jwks.json'))) throw refused(`${keysDir} holds no jwks.json: renkei keys generate --dir ${dir} creates the key files`);
  try {
    return await new Keyring(keysDir).rotate({ delaySeconds: delay ?? config.keys.rotationDelaySeconds, retireAfterSeconds: retireAfterSeconds(config.ttl) });
  } catch (error) {
    throw refused(`cannot rotate the keys in ${keysDir}: ${(error as Error).message}`);
  }
}

export const command: Command = {
  usage: 'renkei keys rotate [--delay SECONDS] [--dir DIR] [--json]',
  summary: 'Adds a new signing key per algorithm: published at once, signing after the delay; the current keys stay published until their tokens have expired.',
  notes: [
    "--delay defaults to the server's keys.rotationDelaySeconds (time for partners' JWKS caches to refresh).",
    'The server rewrites keys/jwks.json; every instance picks the schedule up from there.',
    '--dir DIR rotates DIR/jwks.json where the keys are kept, with no server (read-only mounts: then roll the new',
    'jwks.json out to every instance within the delay); the delay and token lifetimes come from RENKEI_CONFIG.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei keys rotate', 'renkei keys rotate --delay 3600 --json', 'renkei keys rotate --dir /secure/renkei/keys'],
  options: { delay: { type: 'string' }, dir: { type: 'string' } },
  async run(context, values) {
    const delay = optionalString(values, 'delay');
    if (delay !== undefined && !/^\d{1,9}$/.test(delay)) throw usageError('--delay must be a whole number of seconds');
    const dir = optionalString(values, 'dir');
    if (dir !== undefined && (context.global.url !== undefined || context.global.tokenFile !== undefined)) throw usageError('--dir rotates the files with no server: leave out --url and --token-file');
    const rotation = dir !== undefined
      ? await rotateOffline(context, dir, delay === undefined ? undefined : Number(delay))
      : await AdminClient.fromContext(context).post<RotationResult>('/keys/rotate', delay === undefined ? {} : { delay_seconds: Number(delay) });
    if (context.json) {
      printJson(context.out, rotation);
      return;
    }
    context.out.stdout('new keys (published now):');
    context.out.stdout(table(['KID', 'ALG', 'SIGNS_FROM'], rotation.added.map((k) => [k.kid, k.alg, when(k.signs_from)]), context.out.stdoutColumns));
    context.out.stdout('');
    context.out.stdout('retiring keys (published for verification until then):');
    context.out.stdout(table(['KID', 'ALG', 'PUBLISHED_UNTIL'], rotation.retiring.map((k) => [k.kid, k.alg, when(k.published_until)]), context.out.stdoutColumns));
  },
};
