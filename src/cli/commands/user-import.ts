import { AdminClient, AdminRefusal, ADMIN_NOTES } from '../admin-client.js';
import { ExitError, refused } from '../cli-errors.js';
import type { Command, CommandContext } from '../command.js';
import { checkRows, type RowProblem } from '../import/check-rows.js';
import { createProgress } from '../import/progress.js';
import { parseImportFile, readImportFile } from '../import/read-rows.js';
import { printable, printJson } from '../output.js';

/** Rows per request, and requests in flight (the server hashes one batch while the next arrives). */
const BATCH_ROWS = 500;
const IN_FLIGHT = 2;
/**
 * A batch of rows with secrets in clear hashes up to two Argon2id a row on the server: on a busy
 * 2-core host several minutes for two batches at once, far past an ordinary request's 30 s.
 */
const BATCH_TIMEOUT_MS = 10 * 60_000;

interface BatchAnswer {
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly invalid_rows: readonly RowProblem[];
}

interface Totals {
  created: number;
  updated: number;
  skipped: number;
}

type Row = { readonly line: number; readonly fields: Record<string, unknown> };

const listProblems = (context: CommandContext, problems: readonly RowProblem[]) => {
  for (const { line, reason } of [...problems].sort((a, b) => a.line - b.line)) context.out.stderr(`line ${line}: ${printable(reason)}`);
};

/** Sends the rows a batch at a time, IN_FLIGHT batches at once; the server's own refusals join `invalid`. */
async function sendBatches(api: AdminClient, rows: readonly Row[], options: { update: boolean; dryRun: boolean }, onProgress: (done: number) => void, invalid: RowProblem[]): Promise<Totals> {
  const totals: Totals = { created: 0, updated: 0, skipped: 0 };
  const batches: Row[][] = [];
  for (let at = 0; at < rows.length; at += BATCH_ROWS) batches.push(rows.slice(at, at + BATCH_ROWS) as Row[]);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      let answer: BatchAnswer;
      try {
        const body = { rows: batch.map(({ line, fields }) => ({ ...fields, line })), update: options.update, dry_run: options.dryRun };
        answer = await api.post<BatchAnswer>('/users/import', body, { timeoutMs: BATCH_TIMEOUT_MS });
      } catch (error) {
        // a refusal (403, 400) wrote nothing and will be refused again: no resuming to offer
        if (!(error instanceof ExitError) || error instanceof AdminRefusal || options.dryRun) throw error;
        throw refused(`${error.message}\nthe import stopped at the batch starting on line ${batch[0]!.line}; rows before it may be in. Run the same command again to resume: customers already imported are skipped.`);
      }
      totals.created += answer.created;
      totals.updated += answer.updated;
      totals.skipped += answer.skipped;
      invalid.push(...answer.invalid_rows);
      done += batch.length;
      onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batches.length) }, worker));
  return totals;
}

export const command: Command = {
  usage: 'renkei user import FILE [--skip-invalid] [--update] [--dry-run] [--json]',
  summary: 'Brings existing customers in from a CSV or JSON Lines file, checked row by row before anything is written.',
  notes: [
    'Columns (CSV header row, or JSON Lines keys): login_id, user_number, name (optional), question, and for',
    'each secret either plain text (password, answer) or a hash from the old system (password_hash,',
    'answer_hash): PHC $argon2id$v=19$m=…,t=…,p=…$salt$hash, or passlib\'s $scrypt$ln=…,r=…,p=…$salt$hash and',
    '$pbkdf2-sha256$rounds$salt$hash. Those hashes are replaced by Argon2id at the customer\'s next login.',
    'Optional accounts: in CSV one cell, type:branch:number[:nickname] separated by ";" (普通:001:1234567:生活費;当座:002:7654321);',
    'in JSON Lines an array of { type, branch, number, nickname }. --update replaces the accounts a row gives',
    '(an account kept keeps its account_id); a row without accounts leaves them as they are.',
    'The format follows the extension (.csv; .jsonl, .ndjson, .json), else the content; UTF-8 or Shift_JIS.',
    '',
    'Every row is checked first, here and then by the server; bad rows are listed with their line and reason and',
    'nothing is written, unless --skip-invalid (then the others are imported). Customers are matched by login ID: existing',
    'ones are skipped, or replaced with --update (a changed credential ends their grants). An interrupted',
    'import resumes by running the same command again. --dry-run checks against the server, writes nothing.',
    'Progress on stderr: a bar on a terminal, otherwise a line at each tenth.',
    '--json prints { file, format, dry_run, written, rows, created, updated, skipped, invalid, invalid_rows: [{ line, reason }] }.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei user import customers.csv --dry-run', 'renkei user import customers.csv', 'renkei user import export.jsonl --skip-invalid --json'],
  options: { 'skip-invalid': { type: 'boolean' }, update: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  positionals: ['FILE'],
  async run(context, values, [file]) {
    const skipInvalid = values['skip-invalid'] === true;
    const options = { update: values.update === true, dryRun: values['dry-run'] === true };
    const { format, rows } = parseImportFile(file!, readImportFile(file!, context.cwd));
    const { valid, invalid: fileProblems } = checkRows(rows);
    const invalid: RowProblem[] = [...fileProblems];
    const report = (written: boolean, totals: Totals) => ({
      file,
      format,
      dry_run: options.dryRun,
      written: written && !options.dryRun,
      rows: rows.length,
      ...totals,
      invalid: invalid.length,
      invalid_rows: [...invalid].sort((a, b) => a.line - b.line),
    });

    const refuseInvalid = () => {
      if (context.json) printJson(context.out, report(false, { created: 0, updated: 0, skipped: 0 }));
      else listProblems(context, invalid);
      return refused(`nothing was imported: ${invalid.length} of ${rows.length} rows are invalid; correct them, or run again with --skip-invalid to import the others`);
    };
    if (invalid.length && !skipInvalid) throw refuseInvalid();

    const api = AdminClient.fromContext(context);
    if (!skipInvalid && !options.dryRun) {
      // the server has rules of its own (rows may not carry accounts when an account service holds them):
      // every row passes them before any is written
      const checking = createProgress(context.out, valid.length, { verb: 'checked', quiet: context.json });
      try {
        await sendBatches(api, valid, { ...options, dryRun: true }, (done) => checking.update(done), invalid);
      } finally {
        checking.finish();
      }
      if (invalid.length) throw refuseInvalid();
    }
    const progress = createProgress(context.out, valid.length, { verb: options.dryRun ? 'checked' : 'imported', quiet: context.json });
    let totals: Totals;
    try {
      totals = await sendBatches(api, valid, options, (done) => progress.update(done), invalid);
    } finally {
      progress.finish();
    }

    if (context.json) {
      printJson(context.out, report(true, totals));
      return;
    }
    listProblems(context, invalid);
    const verb = options.dryRun ? 'dry run, nothing written: would create' : 'created';
    context.out.stdout(`${verb} ${totals.created}, ${options.dryRun ? 'would update' : 'updated'} ${totals.updated}, skipped ${totals.skipped}, invalid ${invalid.length} (${rows.length} rows in ${file})`);
  },
};
