import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { refused } from './cli-errors.js';

/** Why a file could not be read, in words (never a bare ENOENT). */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'there is no such file';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory, not a file';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    default: return code ? `it cannot be read (${code})` : (error as Error).message;
  }
}

export function readTextFile(file: string, cwd: string, label: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw refused(`cannot use ${label}: ${describeFileError(error)}`);
  }
}

/**
 * The offset of the first thing that is not JSON: V8's messages do not always say where, and
 * sometimes quote the text (which may hold a secret), so they are never shown.
 */
export function jsonErrorOffset(text: string): number {
  let at = 0;
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const fail = (): never => {
    throw at;
  };
  const literal = (word: string) => (text.startsWith(word, at) ? (at += word.length) : fail());
  const string = () => {
    at++;
    while (at < text.length && text[at] !== '"') {
      if (text.charCodeAt(at) < 0x20) fail();
      if (text[at] === '\\') {
        at++;
        if (text[at] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail();
          at += 4;
        } else if (!'"\\/bfnrt'.includes(text[at] ?? 'x')) fail();
      }
      at++;
    }
    if (at >= text.length) fail();
    at++;
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === '{') {
      at++;
      space();
      if (text[at] === '}') return void at++;
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (text[at] !== ':') fail();
        at++;
        value();
        space();
        if (text[at] === ',') at++;
        else if (text[at] === '}') return void at++;
        else fail();
      }
    }
    if (char === '[') {
      at++;
      space();
      if (text[at] === ']') return void at++;
      for (;;) {
        value();
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ']') return void at++;
        else fail();
      }
    }
    if (char === '"') return string();
    if (char === 't') return void literal('true');
    if (char === 'f') return void literal('false');
    if (char === 'n') return void literal('null');
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at))?.[0];
    if (!number) fail();
    at += number!.length;
  };
  try {
    value();
    space();
    return at < text.length ? at : -1;
  } catch (offset) {
    return offset as number;
  }
}

/** "line 3, column 5" (both from 1) of an offset. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${[...before.at(-1)!].length + 1}`;
}

/** JSON.parse, or a refusal naming `label` and where the text stops being JSON. */
export function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const offset = jsonErrorOffset(text);
    const where = offset >= text.length || offset < 0 ? `not valid JSON: it ends at ${lineAndColumn(text, text.length)} before the JSON is complete` : `not valid JSON at ${lineAndColumn(text, offset)}`;
    throw refused(`cannot use ${label}: ${text.trim() === '' ? 'it is empty' : where}`);
  }
}

export const readJsonFile = (file: string, cwd: string, label: string): unknown => parseJson(readTextFile(file, cwd, label).replace(/^\uFEFF/, ''), label);
