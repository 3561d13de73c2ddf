import type Router from '@koa/router';
import type { Context } from 'koa';
import { CustomerImporter, type ImportBatchRow } from '../../accounts/customer-import.js';
import { HashPool } from '../../accounts/hash-pool.js';
import { UserNumberCipher } from '../../accounts/user-number-cipher.js';
import { revokeCustomerGrant } from '../../grants/revoke-customer-grant.js';
import type { AppContext } from '../../services.js';
import { keyValueBatchWrites, redisBatchWrites } from '../../storage/batch-writes.js';
import { guard, readJson } from '../admin-guard.js';

/** Rows per request: the CLI sends 500; a batch is checked whole before any of it is written. */
export const MAX_IMPORT_ROWS = 1000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

interface ImportBody {
  rows: (Record<string, unknown> & { line: number })[];
  update?: boolean;
  dry_run?: boolean;
}

// each row's fields are checked by checkImportRow (every problem, with its line); here only the frame
const importGuard = guard<ImportBody>({
  type: 'object',
  additionalProperties: false,
  required: ['rows'],
  properties: {
    rows: { type: 'array', minItems: 1, maxItems: MAX_IMPORT_ROWS, items: { type: 'object', required: ['line'], properties: { line: { type: 'integer', minimum: 1 } } } },
    update: { type: 'boolean' },
    dry_run: { type: 'boolean' },
  },
});

const readLargeJson = (ctx: Context) => readJson(ctx, { limit: MAX_BODY_BYTES, overLimitHint: '; send fewer rows at a time' });

/**
 * `POST /users/import`: a batch of customers (`renkei user import`), answered with counts and each
 * invalid row's line and reason. Idempotent by canonical login ID: existing customers are skipped,
 * or with `update` given the file's details and secrets (a credential change ends their grants).
 */
export function addUserImportRoutes(router: Router, app: AppContext): void {
  let importer: CustomerImporter | undefined;
  const importerOf = () =>
    (importer ??= new CustomerImporter(
      app.store.redis ? redisBatchWrites(app.store.redis) : keyValueBatchWrites(app.store.kv),
      new UserNumberCipher(app.keys.dataKeys),
      new HashPool(),
      Date.now,
      (subs) => app.customers.changed(subs),
    ));

  router.post('/import', async (ctx) => {
    const body = importGuard(await readLargeJson(ctx));
    const rows: ImportBatchRow[] = body.rows.map(({ line, ...fields }) => ({ line, fields }));
    const options = { update: body.update === true, dryRun: body.dry_run === true, directoryAccounts: app.settings.config.accounts.source === 'directory' };
    const result = await importerOf().importBatch(rows, options);
    for (const customer of result.credentialsChanged) {
      const grants = await app.grants.listForCustomer(customer.sub);
      for (const credential of customer.changed) await app.events.credentialChanged(customer.sub, grants, credential);
      for (const summary of grants) {
        await revokeCustomerGrant(app, customer.sub, summary, { reason: 'credentials_changed', login_id: customer.loginId, ip: ctx.ip });
      }
    }
    const counts = { created: result.created, updated: result.updated, skipped: result.skipped, invalid: result.invalid.length };
    if (!options.dryRun) {
      app.audit('user.imported', { ip: ctx.ip, outcome: 'success', ...counts, login_ids_created: result.createdLoginIds, login_ids_updated: result.updatedLoginIds });
    }
    ctx.body = { ...counts, dry_run: options.dryRun, invalid_rows: result.invalid };
  });
}
