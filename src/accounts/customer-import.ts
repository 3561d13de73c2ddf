import { randomUUID } from 'node:crypto';
import type { BatchWrites } from '../storage/batch-writes.js';
import { redisKeys } from '../storage/redis-keys.js';
import { isSameAccount, type AccountFields, type BankAccount } from './account-source/bank-account.js';
import { newAccountId } from './account-source/directory-accounts.js';
import { foldAnswer } from './answer-folding.js';
import type { Customer } from './customer.js';
import type { ChangedCredential } from '../events/partner-events.js';
import type { HashPool } from './hash-pool.js';
import { checkImportRow, type ValidImportRow } from './import-row.js';
import type { UserNumberCipher } from './user-number-cipher.js';
import { verifySecret } from './secret-hash.js';

export interface ImportBatchRow {
  /** where the row stands in the operator's file, for the report */
  readonly line: number;
  readonly fields: Record<string, unknown>;
}

export interface ImportOptions {
  /** replace existing customers' details and secrets instead of skipping them */
  readonly update: boolean;
  /** check and count, write nothing */
  readonly dryRun: boolean;
  /** false when accounts.source is http: the account service holds the accounts, rows may not carry any (default true) */
  readonly directoryAccounts?: boolean;
}

/** A customer an update gave other credentials, and which (their grants must end, partners be told). */
export interface ChangedCredentials extends Pick<Customer, 'sub' | 'loginId'> {
  readonly changed: readonly ChangedCredential[];
}

export interface RowFailure {
  readonly line: number;
  readonly reason: string;
}

export interface ImportBatchResult {
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly invalid: readonly RowFailure[];
  /** customers an update gave other credentials (their grants must end) */
  readonly credentialsChanged: readonly ChangedCredentials[];
  /** who was written, by login ID (for the audit trail; none in a dry run) */
  readonly createdLoginIds: readonly string[];
  readonly updatedLoginIds: readonly string[];
}

/** The file's accounts with IDs: an account the customer already has keeps its ID (grants name accounts by it). */
function withAccountIds(accounts: readonly AccountFields[], current: readonly BankAccount[]): BankAccount[] {
  return accounts.map((account) => ({ ...account, account_id: current.find((held) => isSameAccount(held, account))?.account_id ?? newAccountId() }));
}

interface Checked {
  readonly line: number;
  readonly row: ValidImportRow;
}

/**
 * Writes a batch of imported customers in a few round trips whatever its size: one read of the
 * login-ID index, (with `update`) one of the existing records, one write of the new records with
 * their index entries (NX, so a login ID taken meanwhile is skipped), one of the listing. Plain
 * secrets are hashed on the worker pool; hashes made elsewhere are stored as given (see secret-hash.ts).
 */
export class CustomerImporter {
  constructor(
    private readonly writes: BatchWrites,
    private readonly cipher: UserNumberCipher,
    private readonly hashes: HashPool,
    private readonly now: () => number = Date.now,
    /** tells every instance which customers' records were rewritten (CustomerDirectory.changed) */
    private readonly announce: (subs: readonly string[]) => Promise<void> = async () => {},
  ) {}

  async importBatch(rows: readonly ImportBatchRow[], options: ImportOptions): Promise<ImportBatchResult> {
    const invalid: RowFailure[] = [];
    const checked: Checked[] = [];
    const seen = new Map<string, number>();
    for (const { line, fields } of rows) {
      const result = checkImportRow(fields);
      if ('problems' in result) {
        invalid.push({ line, reason: result.problems.join('; ') });
        continue;
      }
      if (result.row.accounts !== undefined && options.directoryAccounts === false) {
        invalid.push({ line, reason: 'accounts: accounts come from the account service (accounts.source is http); leave them out' });
        continue;
      }
      const earlier = seen.get(result.row.loginId);
      if (earlier !== undefined) {
        invalid.push({ line, reason: `login_id: same as line ${earlier}` });
        continue;
      }
      seen.set(result.row.loginId, line);
      checked.push({ line, row: result.row });
    }

    const subs = await this.writes.getMany(checked.map(({ row }) => redisKeys.loginId(row.loginId)));
    const fresh = checked.filter((_, i) => subs[i] === undefined);
    const existing = checked.flatMap((entry, i) => (subs[i] === undefined ? [] : [{ ...entry, sub: subs[i]! }]));
    const skippedExisting = options.update ? 0 : existing.length;
    if (options.dryRun) {
      return { created: fresh.length, updated: options.update ? existing.length : 0, skipped: skippedExisting, invalid, credentialsChanged: [], createdLoginIds: [], updatedLoginIds: [] };
    }

    const createdLoginIds = await this.createAll(fresh);
    const updates = options.update ? await this.updateAll(existing) : { updatedLoginIds: [], credentialsChanged: [] };
    return {
      created: createdLoginIds.length,
      updated: updates.updatedLoginIds.length,
      skipped: skippedExisting + (fresh.length - createdLoginIds.length),
      invalid,
      credentialsChanged: updates.credentialsChanged,
      createdLoginIds,
      updatedLoginIds: updates.updatedLoginIds,
    };
  }

  private async secretsOf(row: ValidImportRow): Promise<{ passwordHash: string; answerHash: string }> {
    const [passwordHash, answerHash] = await Promise.all([
      'hash' in row.password ? row.password.hash : this.hashes.hash(row.password.plain),
      'hash' in row.answer ? row.answer.hash : this.hashes.hash(foldAnswer(row.answer.plain)),
    ]);
    return { passwordHash, answerHash };
  }

  /** The login IDs created (a login ID registered meanwhile by someone else is not among them). */
  private async createAll(fresh: readonly Checked[]): Promise<string[]> {
    if (fresh.length === 0) return [];
    const createdAt = this.now();
    const customers = await Promise.all(
      fresh.map(async ({ row }): Promise<Customer> => {
        const sub = randomUUID();
        return {
          sub,
          loginId: row.loginId,
          name: row.name ?? row.loginId,
          status: 'active',
          createdAt,
          ...(await this.secretsOf(row)),
          userNumber: this.cipher.seal(row.userNumber, sub),
          userNumberLength: row.userNumber.length,
          question: row.question,
          ...(row.accounts?.length ? { accounts: withAccountIds(row.accounts, []) } : {}),
        };
      }),
    );
    const taken = await this.writes.createMany(
      customers.map((c) => ({ recordKey: redisKeys.customer(c.sub), record: JSON.stringify(c), indexKey: redisKeys.loginId(c.loginId), indexValue: c.sub })),
    );
    const won = customers.filter((_, i) => taken[i]);
    // a login ID registered between the read and the write keeps its customer; ours is dropped
    await this.writes.deleteMany(customers.filter((_, i) => !taken[i]).map((c) => redisKeys.customer(c.sub)));
    await this.writes.hashSetMany(redisKeys.customerList(), Object.fromEntries(won.map((c) => [c.sub, c.loginId])));
    return won.map((c) => c.loginId);
  }

  /**
   * The row's secrets for a customer who has some: a plain-text secret that still matches the
   * stored hash keeps it, so re-running an import with --update changes (and revokes) nothing.
   */
  private async secretsFor(row: ValidImportRow, before: Customer): Promise<{ passwordHash: string; answerHash: string }> {
    const keeps = async (secret: ValidImportRow['password'], stored: string, fold: (plain: string) => string) =>
      !('hash' in secret) && (await verifySecret(fold(secret.plain), stored)).ok;
    const [keepPassword, keepAnswer] = await Promise.all([
      keeps(row.password, before.passwordHash, (plain) => plain),
      keeps(row.answer, before.answerHash, foldAnswer),
    ]);
    const fresh = keepPassword && keepAnswer ? undefined : await this.secretsOf(row);
    return {
      passwordHash: keepPassword ? before.passwordHash : fresh!.passwordHash,
      answerHash: keepAnswer ? before.answerHash : fresh!.answerHash,
    };
  }

  private async updateAll(existing: readonly (Checked & { sub: string })[]): Promise<{ updatedLoginIds: string[]; credentialsChanged: ChangedCredentials[] }> {
    if (existing.length === 0) return { updatedLoginIds: [], credentialsChanged: [] };
    const records = await this.writes.getMany(existing.map(({ sub }) => redisKeys.customer(sub)));
    const changes = await Promise.all(
      existing.map(async ({ row, sub }, i) => {
        const json = records[i];
        if (!json) return undefined;
        const before = JSON.parse(json) as Customer;
        const secrets = await this.secretsFor(row, before);
        const sameNumber = this.cipher.open(before.userNumber, sub) === row.userNumber;
        const after: Customer = {
          ...before,
          name: row.name ?? before.name,
          question: row.question,
          ...secrets,
          userNumber: sameNumber ? before.userNumber : this.cipher.seal(row.userNumber, sub),
          userNumberLength: row.userNumber.length,
          ...(row.accounts !== undefined ? { accounts: withAccountIds(row.accounts, before.accounts ?? []) } : {}),
        };
        const changed: ChangedCredential[] = [
          ...(before.passwordHash !== after.passwordHash ? (['password'] as const) : []),
          ...(before.question !== after.question || before.answerHash !== after.answerHash ? (['answer'] as const) : []),
          ...(sameNumber ? [] : (['user_number'] as const)),
        ];
        return { after, changed };
      }),
    );
    const done = changes.filter((change) => change !== undefined);
    await this.writes.setMany(done.map(({ after }) => [redisKeys.customer(after.sub), JSON.stringify(after)] as const));
    await this.announce(done.map(({ after }) => after.sub));
    return {
      updatedLoginIds: done.map(({ after }) => after.loginId),
      credentialsChanged: done.filter((c) => c.changed.length > 0).map(({ after, changed }) => ({ sub: after.sub, loginId: after.loginId, changed })),
    };
  }
}
