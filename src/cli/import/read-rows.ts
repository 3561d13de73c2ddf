import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { IMPORT_FIELDS } from '../../accounts/import-row.js';
import { closest } from '../../shared/suggest.js';
import { refused } from '../cli-errors.js';
import { jsonErrorOffset } from '../../shared/json-position.js';
import { describeFileError } from '../json-input.js';

export type ImportFormat = 'csv' | 'jsonl';

/** One record of the file: the line it starts on (from 1) and its fields, or why it is not a record. */
export type FileRow = { readonly line: number; readonly fields: Record<string, unknown> } | { readonly line: number; readonly problem: string };

export interface ParsedFile {
  readonly format: ImportFormat;
  readonly rows: readonly FileRow[];
}

/** By extension (.csv; .jsonl, .ndjson, .json), else by content: a first `{` is JSON Lines. */
export function detectFormat(file: string, text: string): ImportFormat {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (['.jsonl', '.ndjson', '.json'].includes(extension)) return 'jsonl';
  return text.trimStart().startsWith('{') ? 'jsonl' : 'csv';
}

export function parseJsonLines(text: string): FileRow[] {
  const rows: FileRow[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      const offset = jsonErrorOffset(raw);
      rows.push({ line, problem: offset < 0 || offset >= raw.length ? 'not valid JSON: the line ends before the JSON is complete' : `not valid JSON at column ${[...raw.slice(0, offset)].length + 1}` });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) rows.push({ line, problem: 'must be one JSON object' });
    else rows.push({ line, fields: value as Record<string, unknown> });
  });
  return rows;
}

/** RFC 4180 records with the line each starts on; a quoted field may hold commas, quotes ("") and line breaks. */
function csvRecords(text: string): { line: number; cells: string[]; problem?: string }[] {
  const records: { line: number; cells: string[]; problem?: string }[] = [];
  let at = 0;
  let line = 1;
  while (at < text.length) {
    const start = line;
    const cells: string[] = [];
    let problem: string | undefined;
    for (;;) {
      let cell = '';
      if (text[at] === '"') {
        at++;
        for (;;) {
          if (at >= text.length) throw refused(`cannot use the file: the quoted field opened on line ${start} is never closed`);
          const char = text[at]!;
          if (char === '"') {
            if (text[at + 1] === '"') {
              cell += '"';
              at += 2;
              continue;
            }
            at++;
            break;
          }
          if (char === '\n') line++;
          cell += char;
          at++;
        }
        if (at < text.length && text[at] !== ',' && text[at] !== '\n' && text[at] !== '\r') problem ??= `text after a closing quote in field ${cells.length + 1}`;
      }
      while (at < text.length && text[at] !== ',' && text[at] !== '\n' && !(text[at] === '\r' && text[at + 1] === '\n')) {
        if (text[at] === '"') problem ??= `a quote inside unquoted field ${cells.length + 1} (quote the whole field and double the quote)`;
        cell += text[at];
        at++;
      }
      cells.push(cell);
      if (text[at] === ',') {
        at++;
        continue;
      }
      break;
    }
    if (text[at] === '\r') at++;
    if (text[at] === '\n') {
      at++;
      line++;
    }
    if (cells.length === 1 && cells[0] === '' && !problem) continue;
    records.push({ line: start, cells, ...(problem ? { problem } : {}) });
  }
  return records;
}

/**
 * An unknown header cell by its position, with the column it was likely meant to be; never its
 * text: a file without a header row has a customer's password, answer and 利用者番号 there.
 */
function unknownColumn(name: string, index: number): string {
  const meant = closest(name, IMPORT_FIELDS);
  return `column ${index + 1}${meant ? ` (did you mean ${meant}?)` : ''}`;
}

const isField = (name: string) => (IMPORT_FIELDS as readonly string[]).includes(name);

/** A header row written with another separator (Excel in some locales saves "CSV" with ";"). */
const separatedBySemicolons = (cells: readonly string[]) => cells.length === 1 && cells[0]!.split(';').some((name) => isField(name.trim().toLowerCase()));

/** CSV with a header row naming the columns; empty cells are left out of the row. `source` names the file in refusals. */
export function parseCsv(text: string, source = 'the file'): FileRow[] {
  const [header, ...records] = csvRecords(text);
  if (!header) return [];
  const names = header.cells.map((name) => name.trim().toLowerCase());
  if (separatedBySemicolons(header.cells)) {
    throw refused(`cannot use ${source}: its header row (line ${header.line}) separates the columns with ";": save the file as comma-separated CSV (or as JSON Lines)`);
  }
  // a first line that names no column is a row of values: nothing of it is compared or suggested
  if (!names.some(isField)) {
    throw refused(`cannot use ${source}: its first line (line ${header.line}) is not a header row; the first line must name the columns, from ${IMPORT_FIELDS.join(', ')}`);
  }
  const unknown = names.flatMap((name, i) => (isField(name) ? [] : [unknownColumn(name, i)]));
  if (header.problem || unknown.length) {
    throw refused(`cannot use ${source}: its header row (line ${header.line}) may name only the columns ${IMPORT_FIELDS.join(', ')}${unknown.length ? `; not a column name: ${unknown.join(', ')}` : ''}`);
  }
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw refused(`cannot use ${source}: column "${twice}" appears twice in the header row`);
  return records.map((record): FileRow => {
    if (record.problem) return { line: record.line, problem: record.problem };
    if (record.cells.length !== names.length) return { line: record.line, problem: `has ${record.cells.length} fields; the header has ${names.length}` };
    const fields: Record<string, unknown> = {};
    names.forEach((name, i) => {
      if (record.cells[i] !== '') fields[name] = record.cells[i];
    });
    return { line: record.line, fields };
  });
}

/**
 * The file's text: UTF-8, or Shift_JIS as Japanese spreadsheets and banking systems often export
 * CSV (a file that is neither is refused rather than read with replacement characters).
 */
export function readImportFile(file: string, cwd: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(cwd, file));
  } catch (error) {
    throw refused(`cannot use ${file}: ${describeFileError(error)}`);
  }
  for (const encoding of ['utf-8', 'shift_jis']) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      // try the next encoding
    }
  }
  throw refused(`cannot use ${file}: it is neither UTF-8 nor Shift_JIS text`);
}

export function parseImportFile(file: string, text: string): ParsedFile {
  const clean = text.replace(/^\uFEFF/, '');
  const format = detectFormat(file, clean);
  const rows = format === 'csv' ? parseCsv(clean, file) : parseJsonLines(clean);
  // nothing to import is not an import that succeeded (a truncated export, the wrong file)
  if (rows.length === 0) throw refused(`cannot use ${file}: it holds no customers (${format === 'csv' ? 'no row under a header row naming the columns' : 'no line holding a customer'})`);
  return { format, rows };
}
