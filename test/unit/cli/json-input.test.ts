import { describe, expect, it } from '@jest/globals';
import { parseJson } from '../../../src/cli/json-input.js';
import { jsonErrorOffset, lineAndColumn } from '../../../src/shared/json-position.js';

describe('where a text stops being JSON', () => {
  it.each([
    ['{"a": }', 6],
    ['{"a":1,}', 7],
    ['[1,2,,3]', 5],
    ['{"a":1} x', 8],
    ['nul', 0],
    ['{"a": "b\u0001"}', 8],
    ['{"a": 01}', 7],
    ['{"a": "\\x"}', 8],
    ['{"a":1', 6],
  ])('%j fails at offset %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('accepts what JSON.parse accepts', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]} ', '"x"', '0']) expect(jsonErrorOffset(text)).toBe(-1);
  });

  it('counts lines and columns from 1, characters not bytes', () => {
    expect(lineAndColumn('{\n  "名前": x', 10)).toBe('line 2, column 9');
  });

  it('never repeats the text (it may be a secret) in its refusal', () => {
    expect(() => parseJson('{"password": "hunter2 hunter2" "answer": "x"}', '--secrets-stdin')).toThrow('cannot use --secrets-stdin: not valid JSON at line 1, column 32');
    expect(() => parseJson('   ', 'f.json')).toThrow('cannot use f.json: it is empty');
  });
});
