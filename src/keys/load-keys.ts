import type { Logger } from 'pino';
import type { Settings } from '../settings/types.js';
import { generateKeyFiles } from './generate-keys.js';
import { readKeyFiles, type KeyFileResult } from './key-files.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COOKIES_FILE, JWKS_FILE } from './key-files.js';

/**
 * Reads the keys. In development, when neither file exists yet, generates them first
 * (never overwriting a file that is there but broken: that is reported instead).
 */
export async function loadKeys(settings: Settings, logger: Logger): Promise<KeyFileResult> {
  const dir = settings.keysDir;
  const nothingThere = !existsSync(join(dir, JWKS_FILE)) && !existsSync(join(dir, COOKIES_FILE));
  if (settings.mode === 'development' && nothingThere) {
    const generated = await generateKeyFiles(dir);
    logger.warn({ event: 'keys.generated', dir, kids: generated.kids }, `generated development keys in ${dir}`);
  }
  return readKeyFiles(dir);
}
