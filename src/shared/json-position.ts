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

/** "not valid JSON at line 3, column 5", or where it ends before it is complete, or that it is empty. */
export function whereJsonBreaks(text: string): string {
  if (text.trim() === '') return 'it is empty';
  const offset = jsonErrorOffset(text);
  return offset >= text.length || offset < 0
    ? `not valid JSON: it ends at ${lineAndColumn(text, text.length)} before the JSON is complete`
    : `not valid JSON at ${lineAndColumn(text, offset)}`;
}
