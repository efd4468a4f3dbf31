/**
 * A small evaluator of GitHub Actions expressions, enough to decide which jobs of a workflow run for
 * a given event: literals, context property access, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`
 * (which, as on GitHub, yield an operand, not a boolean), and the functions the workflows use.
 * Semantics follow GitHub's documentation: a missing property is null; strings compare ignoring
 * case; operands of different types compare as numbers.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

export interface JobStatus {
  /** Results of the jobs this one needs, by job id. */
  needs: Record<string, 'success' | 'failure' | 'cancelled' | 'skipped'>;
  cancelled: boolean;
}

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'ident'; value: string }
  | { kind: 'op'; value: string };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', ',', '.', '*'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    if (/\s/.test(char)) {
      i++;
    } else if (char === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new Error(`unterminated string in: ${source}`);
        if (source[i] === "'" && source[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (source[i] === "'") {
          i++;
          break;
        } else {
          value += source[i];
          i++;
        }
      }
      tokens.push({ kind: 'string', value });
    } else if (/[0-9]/.test(char)) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'number', value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', value: match[0] });
      i += match[0].length;
    } else {
      const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
      if (op === undefined) throw new Error(`unexpected "${char}" in: ${source}`);
      tokens.push({ kind: 'op', value: op });
      i += op.length;
    }
  }
  return tokens;
}

type Node =
  | { type: 'literal'; value: Value }
  | { type: 'context'; name: string }
  | { type: 'member'; object: Node; property: Node }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'not'; operand: Node }
  | { type: 'binary'; op: string; left: Node; right: Node };

function parseExpression(source: string): Node {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isOp = (value: string): boolean => {
    const token = peek();
    return token?.kind === 'op' && token.value === value;
  };
  const expect = (value: string): void => {
    if (!isOp(value)) throw new Error(`expected "${value}" at token ${position} in: ${source}`);
    position++;
  };

  const binary = (operators: string[], next: () => Node) => (): Node => {
    let left = next();
    for (;;) {
      const token = peek();
      if (token?.kind !== 'op' || !operators.includes(token.value)) return left;
      position++;
      left = { type: 'binary', op: token.value, left, right: next() };
    }
  };

  const primary = (): Node => {
    const token = tokens[position++];
    if (token === undefined) throw new Error(`unexpected end of: ${source}`);
    if (token.kind === 'string' || token.kind === 'number') return { type: 'literal', value: token.value };
    if (token.kind === 'op' && token.value === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (token.kind === 'ident') {
      if (token.value === 'true' || token.value === 'false') {
        return { type: 'literal', value: token.value === 'true' };
      }
      if (token.value === 'null') return { type: 'literal', value: null };
      if (isOp('(')) {
        position++;
        const args: Node[] = [];
        while (!isOp(')')) {
          args.push(or());
          if (isOp(',')) position++;
        }
        position++;
        return { type: 'call', name: token.value.toLowerCase(), args };
      }
      return { type: 'context', name: token.value };
    }
    throw new Error(`unexpected "${token.value}" in: ${source}`);
  };

  const postfix = (): Node => {
    let node = primary();
    for (;;) {
      if (isOp('.')) {
        position++;
        const name = tokens[position++];
        if (name?.kind !== 'ident') throw new Error(`expected a property name in: ${source}`);
        node = { type: 'member', object: node, property: { type: 'literal', value: name.value } };
      } else if (isOp('[')) {
        position++;
        const property = or();
        expect(']');
        node = { type: 'member', object: node, property };
      } else {
        return node;
      }
    }
  };

  const unary = (): Node => {
    if (isOp('!')) {
      position++;
      return { type: 'not', operand: unary() };
    }
    return postfix();
  };
  const comparison = binary(['<', '<=', '>', '>='], unary);
  const equality = binary(['==', '!='], comparison);
  const and = binary(['&&'], equality);
  const or = binary(['||'], and);

  const tree = or();
  if (position !== tokens.length) throw new Error(`unexpected token ${position} in: ${source}`);
  return tree;
}

export function truthy(value: Value): boolean {
  return !(value === null || value === false || value === 0 || value === '' || Number.isNaN(value));
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return Number.NaN;
}

function equal(left: Value, right: Value): boolean {
  if (typeof left === 'string' && typeof right === 'string')
    return left.toLowerCase() === right.toLowerCase();
  const composite = (value: Value): boolean => value !== null && typeof value === 'object';
  if (composite(left) || composite(right)) return left === right;
  if (typeof left === typeof right) return left === right;
  return toNumber(left) === toNumber(right);
}

function text(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const STATUS_FUNCTIONS = ['always', 'success', 'failure', 'cancelled'];

export function usesStatusFunction(source: string): boolean {
  const walk = (node: Node): boolean => {
    switch (node.type) {
      case 'call':
        return STATUS_FUNCTIONS.includes(node.name) || node.args.some(walk);
      case 'member':
        return walk(node.object) || walk(node.property);
      case 'not':
        return walk(node.operand);
      case 'binary':
        return walk(node.left) || walk(node.right);
      default:
        return false;
    }
  };
  return walk(parseExpression(stripBraces(source)));
}

/** An `if:` may be written with or without `${{ }}`. */
function stripBraces(source: string): string {
  const match = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(source);
  return match ? (match[1] as string) : source;
}

export function evaluate(source: string, context: Record<string, Value>, status?: JobStatus): Value {
  const results = Object.values(status?.needs ?? {});
  const run = (node: Node): Value => {
    switch (node.type) {
      case 'literal':
        return node.value;
      case 'context':
        return context[node.name] ?? null;
      case 'member': {
        const object = run(node.object);
        const property = run(node.property);
        if (object === null || typeof object !== 'object') return null;
        if (Array.isArray(object)) return typeof property === 'number' ? (object[property] ?? null) : null;
        const key = Object.keys(object).find((name) => name.toLowerCase() === text(property).toLowerCase());
        return key === undefined ? null : (object[key] ?? null);
      }
      case 'not':
        return !truthy(run(node.operand));
      case 'binary': {
        if (node.op === '&&') {
          const left = run(node.left);
          return truthy(left) ? run(node.right) : left;
        }
        if (node.op === '||') {
          const left = run(node.left);
          return truthy(left) ? left : run(node.right);
        }
        const left = run(node.left);
        const right = run(node.right);
        if (node.op === '==') return equal(left, right);
        if (node.op === '!=') return !equal(left, right);
        const [a, b] = [toNumber(left), toNumber(right)];
        if (node.op === '<') return a < b;
        if (node.op === '<=') return a <= b;
        if (node.op === '>') return a > b;
        return a >= b;
      }
      case 'call': {
        const args = node.args.map(run);
        switch (node.name) {
          case 'always':
            return true;
          case 'cancelled':
            return status?.cancelled ?? false;
          case 'success':
            return !(status?.cancelled ?? false) && results.every((result) => result === 'success');
          case 'failure':
            return results.some((result) => result === 'failure');
          case 'contains': {
            const [haystack, needle] = args as [Value, Value];
            if (Array.isArray(haystack)) return haystack.some((item) => equal(item, needle));
            return text(haystack).toLowerCase().includes(text(needle).toLowerCase());
          }
          case 'startswith':
            return text(args[0] ?? null)
              .toLowerCase()
              .startsWith(text(args[1] ?? null).toLowerCase());
          case 'endswith':
            return text(args[0] ?? null)
              .toLowerCase()
              .endsWith(text(args[1] ?? null).toLowerCase());
          case 'fromjson':
            return JSON.parse(text(args[0] ?? null)) as Value;
          case 'tojson':
            return JSON.stringify(args[0] ?? null);
          default:
            throw new Error(`function ${node.name}() is not supported by this evaluator`);
        }
      }
    }
  };
  return run(parseExpression(stripBraces(source)));
}

/** Every `${{ … }}` in a string, with the expression inside. */
export function interpolations(source: string): string[] {
  return [...source.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((match) => (match[1] as string).trim());
}

/** Evaluates a string with `${{ … }}` interpolations into the text GitHub would produce. */
export function interpolate(source: string, context: Record<string, Value>): string {
  return source.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, inner: string) => text(evaluate(inner, context)));
}
