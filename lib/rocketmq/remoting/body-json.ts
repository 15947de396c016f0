/**
 * Bodies of RocketMQ's remoting responses are JSON written by fastjson, which writes the keys of
 * a map keyed by numbers bare: a broker's addresses come as `{"brokerAddrs":{0:"10.0.0.1:10911"}}`.
 * `JSON.parse` refuses that, so bare numeric keys are quoted first (outside strings only).
 */
export function parseBodyJson(body: Buffer | undefined): unknown {
  if (body === undefined || body.length === 0) return undefined;
  return JSON.parse(quoteNumericKeys(body.toString('utf8')));
}

/** `{0:"a",-1:"b"}` -> `{"0":"a","-1":"b"}`; anything else, strings included, unchanged. */
export function quoteNumericKeys(text: string): string {
  let out = '';
  let inString = false;
  // Whether the next token, if it is a bare number followed by ':', is an object key.
  let atKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (ch === '"') {
        inString = false;
      }
      continue;
    }
    if (ch === '"') {
      inString = true;
      atKey = false;
      out += ch;
      continue;
    }
    if (atKey && (ch === '-' || (ch >= '0' && ch <= '9'))) {
      const match = /^-?\d+(?=\s*:)/.exec(text.slice(i, i + 32));
      if (match) {
        out += `"${match[0]}"`;
        i += match[0].length - 1;
        atKey = false;
        continue;
      }
    }
    if (ch === '{' || ch === ',') atKey = true;
    else if (!/\s/.test(ch)) atKey = false;
    out += ch;
  }
  return out;
}
