import { CliInputError } from './errors.js';

/** Whitespace as java.util.Properties counts it: space, tab, form feed (not line breaks). */
const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\f';
const isBreak = (c: string | undefined) => c === '\n' || c === '\r';

/** A logical line (continuations joined, escapes still in place) and where it starts. */
interface LogicalLine {
  readonly text: string;
  readonly line: number;
}

/**
 * Parses a `.properties` file as `java.util.Properties.load` does: `#` and `!` comment lines,
 * `key=value`, `key: value` and `key value`, backslash line continuations (the next line's
 * leading whitespace dropped), `\uXXXX`, `\t \n \r \f` and `\<any>` escapes, keys ending at the
 * first unescaped `=`, `:` or whitespace. A later key replaces an earlier one, as in Java.
 * Fails with a {@link CliInputError} naming `source` and the line for a malformed `\u` escape.
 *
 * @example parseProperties('name = files\\\n  -one\ntopic: out\n') // {name: 'files-one', topic: 'out'}
 */
export function parseProperties(text: string, source = 'properties'): Record<string, string> {
  const result: Record<string, string> = {};
  // Java's Reader keeps a byte order mark as part of the first key; an editor put it there, not
  // the author, so it is dropped.
  for (const { text: line, line: number } of logicalLines(text.replace(/^\uFEFF/, ''))) {
    const { key, value } = splitKeyValue(line);
    const where = `${source}, line ${number}`;
    result[unescape(key, where)] = unescape(value, where);
  }
  return result;
}

/** Java's LineReader: natural lines joined at an odd number of trailing backslashes. */
function* logicalLines(text: string): Generator<LogicalLine> {
  let i = 0;
  let line = 1;
  // \n, \r and \r\n each end a line.
  const endOfLine = (): void => {
    if (text[i] === '\r') i++;
    else if (text[i] === '\n') i++;
    if (text[i - 1] === '\r' && text[i] === '\n') i++;
    line++;
  };
  while (i < text.length) {
    const start = line;
    while (isBlank(text[i])) i++;
    if (i >= text.length) return;
    if (isBreak(text[i])) {
      endOfLine(); // a blank line
      continue;
    }
    const comment = text[i] === '#' || text[i] === '!';
    let joined = '';
    // Java skips the empty line a lone continuation backslash leaves, except at the end of the
    // input (after the backslash, or after its \r alone), where it is an empty key.
    let keepEmpty = false;
    for (;;) {
      let end = i;
      while (end < text.length && !isBreak(text[end])) end++;
      const natural = text.slice(i, end);
      const hasBreak = end < text.length;
      i = end;
      if (hasBreak) endOfLine();
      // A comment line is never continued.
      if (comment || trailingBackslashes(natural) % 2 === 0) {
        joined += natural;
        break;
      }
      joined += natural.slice(0, -1);
      keepEmpty = !hasBreak || (text[end] === '\r' && i >= text.length);
      if (i >= text.length) break;
      while (isBlank(text[i])) i++;
    }
    if (!comment && (joined !== '' || keepEmpty)) yield { text: joined, line: start };
  }
}

function trailingBackslashes(s: string): number {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === '\\') n++;
  return n;
}

/**
 * Java's `load0`: the key ends at the first unescaped `=`, `:` or whitespace; whitespace, then
 * one `=` or `:`, then whitespace are skipped; the rest, trailing whitespace included, is the value.
 */
function splitKeyValue(line: string): { key: string; value: string } {
  let keyEnd = 0;
  let valueStart = line.length;
  let hasSeparator = false;
  let escaped = false;
  for (; keyEnd < line.length; keyEnd++) {
    const c = line[keyEnd];
    if (!escaped && (c === '=' || c === ':')) {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    }
    if (!escaped && isBlank(c)) {
      valueStart = keyEnd + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
  }
  while (valueStart < line.length) {
    const c = line[valueStart];
    if (!isBlank(c)) {
      if (hasSeparator || (c !== '=' && c !== ':')) break;
      hasSeparator = true;
    }
    valueStart++;
  }
  return { key: line.slice(0, keyEnd), value: line.slice(valueStart) };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** Java's `loadConvert`: `\uXXXX`, `\t \n \r \f`, and a backslash before anything else dropped. */
function unescape(s: string, where: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const next = s[++i]!;
    if (next === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new CliInputError(
          `${where}: malformed \\uXXXX escape "\\u${hex}": \\u must be followed by four hex digits`,
        );
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[next] ?? next;
    }
  }
  return out;
}
