import { describe, expect, it } from '@jest/globals';
import { parseCommandLine, type OptionSpecs } from '../../../src/cli/parse-command-line.js';
import { closest } from '../../../src/shared/suggest.js';

const OPTIONS: OptionSpecs = { name: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

describe('parseCommandLine', () => {
  it('reads --flag value, --flag=value, repeated flags, -h and positionals (also after --)', () => {
    const parsed = parseCommandLine(['c-1', '--name', 'A', '--redirect-uri=https://a/cb', '--redirect-uri', 'https://b/cb', '--json', '--', '--odd'], OPTIONS, ['ID', 'EXTRA?']);
    expect(parsed).toEqual({ values: { name: 'A', 'redirect-uri': ['https://a/cb', 'https://b/cb'], json: true }, positionals: ['c-1', '--odd'] });
    expect(parseCommandLine(['-h'], OPTIONS, ['ID']).values.help).toBe(true);
  });

  it('takes an ID that begins with a dash as a positional (grant IDs are random base64url)', () => {
    expect(parseCommandLine(['-qTq43GDw'], OPTIONS, ['GRANT_ID']).positionals).toEqual(['-qTq43GDw']);
  });

  it.each([
    [['--nmae', 'x'], 'unknown flag --nmae; did you mean --name?'],
    [['--colour', 'x'], 'unknown flag --colour'],
    [['--name'], '--name needs a value'],
    [['--name', '--json'], '--name needs a value'],
    [['--json=1'], '--json takes no value'],
    [['--name', 'a', '--name', 'b'], '--name is given twice'],
    [['a', 'b', 'c'], 'too many arguments: b c'],
    [[], 'missing ID'],
    [[''], 'ID must not be empty'],
  ])('%j is refused: %s', (args, message) => {
    expect(() => parseCommandLine(args, OPTIONS, ['ID'])).toThrow(message);
  });
});

describe('did you mean', () => {
  it.each([
    ['clinet', ['client', 'user', 'grant'], 'client'],
    ['usr', ['client', 'user', 'grant'], 'user'],
    ['rotate', ['rotate-secret', 'list'], 'rotate-secret'],
    ['frobnicate', ['client', 'user', 'grant'], undefined],
  ])('%s → %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });
});
