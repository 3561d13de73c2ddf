import type { Logger } from 'pino';
import type { Settings } from '../settings/types.js';
import { generateKeyFiles } from './generate-keys.js';
import { readKeyFiles, type KeyFileResult } from './key-files.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_FILES } from './key-files.js';

/**
 * Reads the keys. In development, generates whichever key files are missing first (never
 * overwriting a file that is there but broken: that is reported instead).
 */
export async function loadKeys(settings: Settings, logger: Logger): Promise<KeyFileResult> {
  const dir = settings.keysDir;
  const missing = KEY_FILES.filter((file) => !existsSync(join(dir, file)));
  if (settings.mode === 'development' && missing.length > 0) {
    const generated = await generateKeyFiles(dir, { onlyMissing: true });
    logger.warn({ event: 'keys.generated', dir, files: missing, kids: generated.kids }, `generated development keys in ${dir}: ${missing.join(', ')}`);
  }
  return readKeyFiles(dir);
}
