/**
 * Positions inside JSON text, for error messages that point at a line and column.
 *
 * `JSON.parse` does the real parsing. This strict RFC 8259 scanner exists because V8 only
 * sometimes says where it stopped (`… at position 6`, but `Unexpected token '}', "…" is not valid
 * JSON` for many mistakes, and no position at all at the end of input), and because a shape error
 * found after parsing (say `agent_map[3].service_id`) has no position unless we find the value in
 * the text again.
 */

export type JsonPathStep = string | number;

export interface JsonSyntaxProblem {
  /** Offset (UTF-16 code units) where the text stops being JSON. */
  offset: number;
  problem: string;
}

/** Unwinds the scan at the first syntax problem; an Error so a stray one still carries a stack. */
class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/**
 * Walks `text` as JSON, calling `onValue` with the path and start offset of every value.
 * Returns the first syntax problem, or undefined when the text is valid JSON.
 */
export function scanJson(
  text: string,
  onValue?: (path: readonly JsonPathStep[], offset: number) => void,
): JsonSyntaxProblem | undefined {
  let pos = 0;
  const path: JsonPathStep[] = [];
  const found = (at: number): string =>
    at >= text.length ? 'the end of the file' : JSON.stringify(text[at]);
  const fail = (problem: string, at = pos): never => {
    throw new Stop(at, problem);
  };
  const skipWhitespace = (): void => {
    while (pos < text.length && WHITESPACE.has(text[pos] ?? '')) pos++;
  };

  const string = (): void => {
    pos++; // opening quote
    for (;;) {
      const c = text[pos];
      if (c === undefined) fail('a string is not closed (missing ")');
      else if (c === '"') return void pos++;
      else if (c === '\\') {
        const e = text[pos + 1];
        if (e === 'u') {
          HEX4.lastIndex = pos + 2;
          if (!HEX4.test(text)) fail('a \\u escape needs four hex digits', pos + 2);
          pos += 6;
        } else if (e !== undefined && ESCAPES.has(e)) pos += 2;
        else fail(`invalid escape \\${e ?? ''} in a string`, pos + 1);
      } else if (c < ' ') fail('a control character (such as a line break or tab) inside a string');
      else pos++;
    }
  };

  const literal = (word: string): void => {
    for (let i = 0; i < word.length; i++, pos++) {
      if (text[pos] !== word[i]) fail(`expected "${word}" but found ${found(pos)}`);
    }
  };

  const value = (): void => {
    skipWhitespace();
    onValue?.(path, pos);
    const c = text[pos];
    if (c === '{') object();
    else if (c === '[') array();
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = pos;
      if (!NUMBER.test(text)) fail(`a malformed number`);
      pos = NUMBER.lastIndex;
    } else fail(`expected a value but found ${found(pos)}`);
  };

  const object = (): void => {
    pos++;
    skipWhitespace();
    if (text[pos] === '}') return void pos++;
    for (;;) {
      skipWhitespace();
      if (text[pos] !== '"') fail(`expected a quoted property name but found ${found(pos)}`);
      const keyStart = pos;
      string();
      path.push(JSON.parse(text.slice(keyStart, pos)) as string);
      skipWhitespace();
      if (text[pos] !== ':') fail(`expected ":" after a property name but found ${found(pos)}`);
      pos++;
      value();
      path.pop();
      skipWhitespace();
      if (text[pos] === '}') return void pos++;
      if (text[pos] !== ',') fail(`expected "," or "}" after a property value but found ${found(pos)}`);
      pos++;
    }
  };

  const array = (): void => {
    pos++;
    skipWhitespace();
    if (text[pos] === ']') return void pos++;
    for (let index = 0; ; index++) {
      path.push(index);
      value();
      path.pop();
      skipWhitespace();
      if (text[pos] === ']') return void pos++;
      if (text[pos] !== ',') fail(`expected "," or "]" after an array element but found ${found(pos)}`);
      pos++;
    }
  };

  try {
    value();
    skipWhitespace();
    if (pos < text.length) fail(`unexpected ${found(pos)} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, problem: error.problem };
    throw error;
  }
}

/**
 * Offset of the value at `target` in valid JSON text, or of its deepest ancestor that exists
 * (so a missing key points at its row).
 */
export function locateJsonPath(text: string, target: readonly JsonPathStep[]): number | undefined {
  let best: { depth: number; offset: number } | undefined;
  scanJson(text, (path, offset) => {
    if (path.length > target.length || (best && best.depth >= path.length)) return;
    if (path.every((step, i) => step === target[i])) best = { depth: path.length, offset };
  });
  return best?.offset;
}

/** 1-based line and column of an offset; a CRLF file counts its `\r` as the end of the line. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: before.length - lastBreak };
}

/** `agent_map[3].service_id`; keys that are not identifiers are quoted: `accounts[0]["a b"]`. */
export function formatJsonPath(path: readonly JsonPathStep[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) out += out === '' ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out === '' ? '(the top level)' : out;
}
