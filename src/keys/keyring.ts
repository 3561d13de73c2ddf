import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey } from './generate-keys.js';
import { JWKS_FILE } from './key-files.js';
import { scheduleKeys, type KeySchedule, type ScheduledJwk } from './key-schedule.js';

export interface RotationResult {
  readonly added: readonly { kid: string; alg: string; signs_from: string }[];
  readonly retiring: readonly { kid: string; alg: string; published_until: string }[];
}

/** How long a rotated-out key stays published: until every token it signed has expired, plus clock skew. */
export const retireAfterSeconds = (ttl: { readonly idTokenSeconds: number; readonly accessTokenSeconds: number }) =>
  Math.max(ttl.idTokenSeconds, ttl.accessTokenSeconds) + 300;

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** keys/jwks.json with its rotation schedule: read, re-read when it changes, rotated in place. */
export class Keyring {
  private keys: ScheduledJwk[];
  private raw: string;

  constructor(private readonly dir: string) {
    this.raw = readFileSync(this.path, 'utf8');
    this.keys = (JSON.parse(this.raw) as { keys: ScheduledJwk[] }).keys;
  }

  private get path(): string {
    return join(this.dir, JWKS_FILE);
  }

  /** every key in the file with its schedule members (private parts included: never answer with these) */
  list(): readonly ScheduledJwk[] {
    return this.keys;
  }

  schedule(now = nowSeconds()): KeySchedule {
    return scheduleKeys(this.keys, now);
  }

  /** Re-reads the file (another instance or an operator may have rotated); true when it changed. */
  reload(): boolean {
    const raw = readFileSync(this.path, 'utf8');
    if (raw === this.raw) return false;
    const keys = (JSON.parse(raw) as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) throw new Error(`${this.path}: expected {"keys": [...]}`);
    this.raw = raw;
    this.keys = keys as ScheduledJwk[];
    return true;
  }

  /**
   * Adds a new key for every algorithm that signs now: published at once, signing only after
   * `delaySeconds` (partners' JWKS caches refresh meanwhile); the current signer stays published
   * until `retireAfterSeconds` after the switch (every token it signed has expired by then).
   */
  async rotate({ delaySeconds, retireAfterSeconds }: { delaySeconds: number; retireAfterSeconds: number }): Promise<RotationResult> {
    const now = nowSeconds();
    const switchAt = now + delaySeconds;
    const statuses = this.schedule(now).statuses;
    const signers = this.keys.filter((key) => statuses.get(key.kid) === 'signing');
    const added: RotationResult['added'][number][] = [];
    const retiring: RotationResult['retiring'][number][] = [];
    const next: ScheduledJwk[] = [...this.keys];
    for (const signer of signers) {
      const fresh: ScheduledJwk = { ...(await generateSigningKey(signer.alg)), renkei_not_before: switchAt };
      next.push(fresh);
      signer.renkei_not_after = switchAt + retireAfterSeconds;
      added.push({ kid: fresh.kid, alg: fresh.alg, signs_from: iso(switchAt) });
      retiring.push({ kid: signer.kid, alg: signer.alg, published_until: iso(switchAt + retireAfterSeconds) });
    }
    // drop what retired long ago, then write atomically
    const kept = next.filter((key) => key.renkei_not_after === undefined || key.renkei_not_after > now);
    const raw = JSON.stringify({ keys: kept }, null, 2) + '\n';
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, raw, { mode: 0o600 });
    renameSync(tmp, this.path);
    this.raw = raw;
    this.keys = kept;
    return { added, retiring };
  }
}
