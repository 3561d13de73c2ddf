import { describe, expect, it } from '@jest/globals';
import { table } from '../../../src/cli/output.js';

const HEADERS = ['CLIENT_ID', 'NAME', 'REDIRECT_URIS'];
const ROWS = [
  ['renkei-demo', 'デモ家計簿アプリ', ['http://localhost:3000/demo/callback']],
  ['c-2', null, ['https://a.example/cb', 'https://b.example/cb']],
] as const;

describe('table', () => {
  it('pads each column to its widest cell, Japanese counted two columns a character', () => {
    expect(table(HEADERS, ROWS)).toBe([
      'CLIENT_ID    NAME              REDIRECT_URIS',
      'renkei-demo  デモ家計簿アプリ  http://localhost:3000/demo/callback',
      'c-2          -                 https://a.example/cb, https://b.example/cb',
    ].join('\n'));
  });

  it('on a terminal narrower than the table, shows each row as label and value lines; as wide or wider, the table', () => {
    expect(table(HEADERS, ROWS, 60)).toBe([
      '-[ 1 of 2 ]',
      'CLIENT_ID      renkei-demo',
      'NAME           デモ家計簿アプリ',
      'REDIRECT_URIS  http://localhost:3000/demo/callback',
      '',
      '-[ 2 of 2 ]',
      'CLIENT_ID      c-2',
      'NAME           -',
      'REDIRECT_URIS  https://a.example/cb, https://b.example/cb',
    ].join('\n'));
    expect(table(HEADERS, ROWS, 73)).toBe(table(HEADERS, ROWS));
    expect(table(HEADERS, ROWS, 72)).toMatch(/^-\[ 1 of 2 \]/);
  });
});
