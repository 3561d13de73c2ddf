import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { whereJsonBreaks } from '../shared/json-position.js';
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

/** JSON.parse, or a refusal naming `label` and where the text stops being JSON. */
export function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw refused(`cannot use ${label}: ${whereJsonBreaks(text)}`);
  }
}

export const readJsonFile = (file: string, cwd: string, label: string): unknown => parseJson(readTextFile(file, cwd, label).replace(/^\uFEFF/, ''), label);
