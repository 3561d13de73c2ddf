import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  await globalThis.__RENKEI_TEST_REDIS__?.stop();
  if (process.env.RENKEI_TEST_KEYS_DIR) rmSync(process.env.RENKEI_TEST_KEYS_DIR, { recursive: true, force: true });
}
