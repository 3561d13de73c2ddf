import { resolve } from 'node:path';
import { generateKeyFiles } from '../../keys/generate-keys.js';
import { refused } from '../cli-errors.js';
import type { Command } from '../command.js';

export const command: Command = {
  usage: 'renkei keys generate [--dir DIR] [--only-missing] [--json]',
  summary: 'create keys/jwks.json (ES256, PS256, RS256, EdDSA signing keys), keys/cookies.json, keys/data-keys.json and keys/dpop-nonce.json, offline',
  examples: ['renkei keys generate', 'renkei keys generate --dir /etc/renkei/keys --json', 'renkei keys generate --dir /etc/renkei/keys --only-missing'],
  notes: ['--only-missing writes only the files that are not there yet (e.g. dpop-nonce.json after an upgrade) and never touches the others.'],
  options: { dir: { type: 'string' }, 'only-missing': { type: 'boolean' } },
  async run({ json, out, env, cwd }, values) {
    const dir = resolve(cwd, typeof values.dir === 'string' ? values.dir : env.RENKEI_KEYS_DIR ?? 'keys');
    let generated;
    try {
      generated = await generateKeyFiles(dir, { onlyMissing: values['only-missing'] === true });
    } catch (error) {
      throw refused((error as Error).message);
    }
    if (json) {
      out.stdout(JSON.stringify({
        dir, jwks: generated.jwksPath, cookies: generated.cookiesPath, data_keys: generated.dataKeysPath, dpop_nonce: generated.dpopNoncePath, written: generated.written, keys: generated.kids,
      }, null, 2));
      return;
    }
    out.stdout(generated.written.length ? `wrote ${generated.written.join(', ')} (mode 0600)` : `nothing to write: every key file exists in ${dir}`);
    for (const { kid, alg } of generated.kids) out.stdout(`  ${alg.padEnd(6)} ${kid}`);
  },
};
