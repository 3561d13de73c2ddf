import { describe, expect, it } from '@jest/globals';
import { detectFormat, parseCsv, parseJsonLines } from '../../../../src/cli/import/read-rows.js';
import { checkRows } from '../../../../src/cli/import/check-rows.js';
import { createProgress } from '../../../../src/cli/import/progress.js';
import type { CommandOutput } from '../../../../src/cli/command.js';

describe('import files', () => {
  it('detects the format by extension, else by content', () => {
    expect(detectFormat('a.CSV', '{')).toBe('csv');
    expect(detectFormat('a.ndjson', 'login_id')).toBe('jsonl');
    expect(detectFormat('export', '  {"login_id":"a"}')).toBe('jsonl');
    expect(detectFormat('export', 'login_id,question')).toBe('csv');
  });

  it('reads RFC 4180 CSV: quoted commas, doubled quotes, line breaks, CRLF, empty cells left out', () => {
    const rows = parseCsv('login_id,name,question\r\na,"x, ""y""",q\r\nb,"two\nlines",q\r\n\r\nc,,q\r\n');
    expect(rows).toEqual([
      { line: 2, fields: { login_id: 'a', name: 'x, "y"', question: 'q' } },
      { line: 3, fields: { login_id: 'b', name: 'two\nlines', question: 'q' } },
      { line: 6, fields: { login_id: 'c', question: 'q' } },
    ]);
  });

  it('names CSV records that cannot be read, and refuses a header with unknown columns', () => {
    expect(parseCsv('login_id,question\na"b,q\nc\n')).toEqual([
      { line: 2, problem: 'a quote inside unquoted field 1 (quote the whole field and double the quote)' },
      { line: 3, problem: 'has 1 fields; the header has 2' },
    ]);
    expect(() => parseCsv('login_id,passwort\n')).toThrow(/its header row \(line 1\) may name only the columns .*; not a column name: column 2 \(did you mean password\?\)$/);
    expect(() => parseCsv('login_id,question\n"open,q\n')).toThrow('the quoted field opened on line 2 is never closed');
  });

  it('never repeats what a first line that is not a header holds (a customer\'s secrets)', () => {
    const firstRow = 'nohdr01,11112222,名前,質問,MySecretPass-99,ひみつ\r\n';
    let message = '';
    try {
      parseCsv(firstRow);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^cannot use the file: its first line \(line 1\) is not a header row; the first line must name the columns, from login_id, /);
    // a value is never compared with the column names either ('a' would have been "did you mean answer?")
    expect(message).not.toMatch(/did you mean|column 1/);
    expect(() => parseCsv('a,12345678,n,q,pw-123456,あお\n')).toThrow(/^cannot use the file: its first line \(line 1\) is not a header row; the first line must name the columns, from [a-z_, ]+$/);
    for (const secret of ['nohdr01', '11112222', 'mysecretpass', 'MySecretPass', 'ひみつ', '質問']) expect(message).not.toContain(secret);
  });

  it('reads JSON Lines, naming the column where a line stops being JSON', () => {
    expect(parseJsonLines('{"login_id":"a"}\n\n{"login_id":\n[1]\n{"a" 1}')).toEqual([
      { line: 1, fields: { login_id: 'a' } },
      { line: 3, problem: 'not valid JSON: the line ends before the JSON is complete' },
      { line: 4, problem: 'must be one JSON object' },
      { line: 5, problem: 'not valid JSON at column 6' },
    ]);
  });

  it('checks every row, a login ID repeated in another case or width at its second line', () => {
    const base = { user_number: '１２３４５', question: 'q', password_hash: '$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M', answer: 'あお' };
    const { valid, invalid } = checkRows([
      { line: 2, fields: { login_id: 'Yamada', ...base } },
      { line: 3, fields: { login_id: 'ＹＡＭＡＤＡ', ...base } },
      { line: 4, fields: { login_id: 'b', ...base, password: 'also given' } },
      { line: 5, fields: { login_id: 'c', ...base, extra: 'x' } },
    ]);
    expect(valid.map((row) => row.line)).toEqual([2]);
    expect(invalid).toEqual([
      { line: 3, reason: 'login_id: same as line 2' },
      { line: 4, reason: 'give password or password_hash, not both' },
      { line: 5, reason: 'extra: is not a known field' },
    ]);
  });
});

describe('import progress', () => {
  function output(terminal?: { columns: number }) {
    const written: string[] = [];
    const out: CommandOutput = { stdout: () => {}, stderr: (text) => written.push(`${text}\n`), prompt: (text) => written.push(text), stderrTerminal: terminal };
    return { out, written };
  }

  it('redraws one line on a terminal with count, rate and ETA', () => {
    let clock = 0;
    const { out, written } = output({ columns: 80 });
    const progress = createProgress(out, 1000, { now: () => clock });
    clock = 1000;
    progress.update(250);
    clock = 2000;
    progress.update(500);
    progress.finish();
    expect(written[0]).toBe('\r[##########------------------------------] 250/1,000  25%  250 rows/s  ETA 3s\u001b[K');
    expect(written[1]).toBe('\r[####################--------------------] 500/1,000  50%  250 rows/s  ETA 2s\u001b[K');
    expect(written.at(-1)).toBe('\n');
  });

  it('prints a plain line at each tenth otherwise', () => {
    let clock = 0;
    const { out, written } = output();
    const progress = createProgress(out, 100, { now: () => clock });
    for (const done of [5, 10, 15, 60, 100]) {
      clock += 1000;
      progress.update(done);
    }
    progress.finish();
    expect(written).toEqual([
      'imported 10/100 rows (10%), 5 rows/s, ETA 18s\n',
      'imported 60/100 rows (60%), 15 rows/s, ETA 3s\n',
      'imported 100/100 rows (100%), 20 rows/s, ETA 0s\n',
    ]);
  });
});
