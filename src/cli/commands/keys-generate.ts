import { resolve } from 'node:path';
import { generateKeyFiles } from '../../keys/generate-keys.js';
import { refused } from '../cli-errors.js';
import type { Command } from '../command.js';

export const command: Command = {
  usage: 'renkei keys generate [--dir DIR] [--json]',
  summary: 'create keys/jwks.json (ES256, PS256, RS256, EdDSA signing keys), keys/cookies.json and keys/data-keys.json, offline',
  examples: ['renkei keys generate', 'renkei keys generate --dir /etc/renkei/keys --json'],
  options: { dir: { type: 'string' } },
  async run({ json, out, env, cwd }, values) {
    const dir = resolve(cwd, typeof values.dir === 'string' ? values.dir : env.RENKEI_KEYS_DIR ?? 'keys');
    let generated;
    try {
      generated = await generateKeyFiles(dir);
    } catch (error) {
      throw refused((error as Error).message);
    }
    if (json) {
      out.stdout(JSON.stringify({ dir, jwks: generated.jwksPath, cookies: generated.cookiesPath, data_keys: generated.dataKeysPath, keys: generated.kids }, null, 2));
      return;
    }
    out.stdout(`wrote ${generated.jwksPath}, ${generated.cookiesPath} and ${generated.dataKeysPath} (mode 0600)`);
    for (const { kid, alg } of generated.kids) out.stdout(`  ${alg.padEnd(6)} ${kid}`);
  },
};
