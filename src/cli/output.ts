import type { CommandOutput } from './command.js';

export type Cell = string | number | boolean | null | undefined | readonly string[];

/** Control characters in stored text must not steer the operator's terminal. */
export const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');

/** East Asian wide and fullwidth characters take two columns (client names are often Japanese). */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) || char.codePointAt(0)! >= 0x20000 ? 2 : 1;
  return width;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

export function cellText(value: Cell): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length ? value.map((v) => printable(String(v))).join(', ') : '-';
  return printable(String(value));
}

/**
 * A plain-text table: one header line, columns padded to their widest cell. On a terminal narrower
 * than the table (`terminalColumns`), each row is shown as `LABEL  value` lines under `-[ n of N ]`
 * instead (psql's expanded display): nothing wraps into the next column, nothing is cut. Piped, it
 * is always the table, whatever its width.
 */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[], terminalColumns?: number): string {
  const cells = rows.map((row) => row.map(cellText));
  const widths = headers.map((header, i) => Math.max(displayWidth(header), ...cells.map((row) => displayWidth(row[i] ?? ''))));
  const line = (row: readonly string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]!))).join('  ');
  const lines = [line(headers), ...cells.map(line)];
  if (terminalColumns === undefined || lines.every((text) => displayWidth(text) <= terminalColumns)) return lines.join('\n');
  const labelWidth = Math.max(...headers.map((header) => header.length));
  return cells
    .map((row, n) => [`-[ ${n + 1} of ${cells.length} ]`, ...headers.map((header, i) => `${header.padEnd(labelWidth)}  ${row[i] ?? '-'}`)].join('\n'))
    .join('\n\n');
}

/** `label  value` lines, for one record. */
export function fields(pairs: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${cellText(value)}`).join('\n');
}

export function printJson(out: CommandOutput, value: unknown): void {
  out.stdout(JSON.stringify(value, null, 2));
}

const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * A time for people: Japan time to the second, `2026-04-01 09:30:00+09:00` (Japan keeps no
 * daylight saving time, so a fixed offset is exact). --json keeps the API's ISO 8601 in UTC.
 */
export function when(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return new Date(at + JST_OFFSET_MS).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '+09:00');
}

/** Seconds since the epoch (RFC 7591 `client_id_issued_at`) in Japan time. */
export const fromEpochSeconds = (seconds: number | undefined) => (seconds ? when(new Date(seconds * 1000).toISOString()) : null);
