import { checkImportRow } from '../../accounts/import-row.js';
import type { FileRow } from './read-rows.js';

export interface RowProblem {
  readonly line: number;
  readonly reason: string;
}

export interface CheckedFile {
  /** rows to send, as the file gave them, with their line */
  readonly valid: readonly { readonly line: number; readonly fields: Record<string, unknown> }[];
  readonly invalid: readonly RowProblem[];
}

/**
 * Every row checked before anything is sent, with the rules the server applies (import-row.ts),
 * and a login ID given twice (in its canonical form) refused at its second line.
 */
export function checkRows(rows: readonly FileRow[]): CheckedFile {
  const valid: { line: number; fields: Record<string, unknown> }[] = [];
  const invalid: RowProblem[] = [];
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    if ('problem' in row) {
      invalid.push({ line: row.line, reason: row.problem });
      continue;
    }
    const checked = checkImportRow(row.fields);
    if ('problems' in checked) {
      invalid.push({ line: row.line, reason: checked.problems.join('; ') });
      continue;
    }
    const earlier = firstLine.get(checked.row.loginId);
    if (earlier !== undefined) {
      invalid.push({ line: row.line, reason: `login_id: same as line ${earlier}` });
      continue;
    }
    firstLine.set(checked.row.loginId, row.line);
    valid.push({ line: row.line, fields: row.fields });
  }
  return { valid, invalid };
}
