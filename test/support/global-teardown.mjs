import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';

export default async function globalTeardown() {
  await globalThis.__RENKEI_TEST_REDIS__?.stop();
  const keysDir = process.env.RENKEI_TEST_KEYS_DIR;
  if (!keysDir) return;
  rmSync(keysDir, { recursive: true, force: true });
  // the per-run directory global-setup made around it (never anything else)
  const runDir = dirname(keysDir);
  if (basename(runDir).startsWith('renkei-test-keys-')) rmSync(runDir, { recursive: true, force: true });
}
