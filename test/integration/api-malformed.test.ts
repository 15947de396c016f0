import { describe, expect } from 'vitest';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import type { StateSnapshot } from '../../lib/state/types.js';
import type { OffsetEntry } from '../../lib/api/source-offsets.js';
import { mapBounded } from '../../lib/util/concurrency.js';
import { groupBy } from '../../lib/util/group-by.js';
import { startTestApi, type TestApi } from './api-server.js';
import { test } from './fixtures.js';

/**
 * The issue's demand: over 1,000 generated malformed bodies and configs sent to every write
 * route get no 5xx, write nothing, and a message that names what is wrong. The cases come from
 * a seeded generator, so a failure names a case that the next run sends again.
 */

// ---- The generator -------------------------------------------------------------------------

/** mulberry32: small, seedable, good enough to spread cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { next, int, pick };
}

type Target =
  | 'create'
  | 'put-new'
  | 'put-existing'
  | 'patch'
  | 'alias-new'
  | 'alias-existing'
  | 'validate'
  | 'offsets-stopped'
  | 'offsets-running';
const TARGETS: readonly Target[] = [
  'create',
  'put-new',
  'put-existing',
  'patch',
  'alias-new',
  'alias-existing',
  'validate',
  'offsets-stopped',
  'offsets-running',
];
/** Targets whose body is a config (flat, as PUT takes it, or wrapped for POST /connectors). */
const CONFIG_TARGETS: readonly Target[] = TARGETS.filter((t) => !t.startsWith('offsets'));
type Shape = 'create' | 'flat' | 'patch' | 'offsets';

const CATEGORIES = {
  'bad-json': 'bad JSON text is refused with 400 saying the body is not JSON',
  'top-level-type': 'a body that is not a JSON object is refused naming what it is',
  'field-type': 'fields and config values of the wrong type are refused naming the field',
  'unknown-field': 'unknown top-level fields and __proto__ keys are refused naming them',
  huge: 'bodies over 256 KiB get 413 and configs over 100 KiB 400, naming the size',
  deep: 'bodies nested deeper than 32 levels are refused without overflowing the stack',
  'config-value': 'invalid config values are refused naming the key (validate: 200 with errors)',
  names: 'injection-looking names are data; control characters and 256+ chars are refused',
  'content-type': 'a body that says it is not JSON gets 415 naming its content-type',
  'percent-encoding': 'bad percent-encoding in the path gets 400 naming the segment',
  'offsets-state': 'offsets of a running connector get 409; of a sink 400; of none 404',
} as const;
type Category = keyof typeof CATEGORIES;

type Expectation =
  | { readonly kind: 'error'; readonly status: number; readonly message: RegExp }
  /** The validate endpoint: 200 with errors on `key`, matching `message`. */
  | { readonly kind: 'config-errors'; readonly key: string; readonly message: RegExp }
  /** A legitimately odd but valid name: created, and readable back under the same name. */
  | { readonly kind: 'created'; readonly name: string };

interface Case {
  readonly category: Category;
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly contentType?: string;
  readonly expect: Expectation;
}

interface World {
  readonly topic: string;
  readonly stopped: string;
  readonly running: string;
  readonly sink: string;
}

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const enc = encodeURIComponent;
const error = (status: number, message: RegExp): Expectation => ({
  kind: 'error',
  status,
  message,
});
const KIND = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;

const INJECTIONS = [
  '../../etc/passwd',
  "'; DROP TABLE connectors; --",
  '<script>alert(1)</script>',
  '%00',
  '$(rm -rf /)',
  '{{7*7}}',
  '`id`',
  "' OR '1'='1",
] as const;

/** What each category's section of the generator works with. */
interface Generator {
  readonly rng: ReturnType<typeof prng>;
  readonly world: World;
  readonly sink: Record<string, string>;
  readonly source: Record<string, string>;
  /** The number of the next case, for names no other case uses. */
  readonly n: number;
  /** A body the route would take; `extra` lands where a config value or offset goes. */
  readonly valid: (t: Target, extra?: Record<string, unknown>) => Record<string, unknown>;
  readonly add: (
    category: Category,
    t: Target,
    label: string,
    body: string,
    expectation: Expectation,
    options?: { contentType?: string; plugin?: string; path?: string; method?: string },
  ) => void;
}

/**
 * Every case, in an order fixed by `seed`: the sections below each add one category's cases,
 * through `add`, which numbers them (the number makes names and labels unique).
 */
function generateCases(world: World, seed: number): Case[] {
  const rng = prng(seed);
  const cases: Case[] = [];
  let n = 0;
  const sink = {
    'connector.class': 'FileStreamSink',
    file: '/tmp/api-malformed-sink.txt',
    topics: world.topic,
  };
  const source = {
    'connector.class': 'FileStreamSource',
    file: '/tmp/api-malformed-source.txt',
    topic: world.topic,
  };

  const shapeOf = (t: Target): Shape =>
    t === 'create'
      ? 'create'
      : t === 'patch'
        ? 'patch'
        : t.startsWith('offsets')
          ? 'offsets'
          : 'flat';
  const route = (t: Target, plugin = 'FileStreamSink'): { method: string; path: string } => {
    const fresh = `fresh-${n}`;
    switch (t) {
      case 'create':
        return { method: 'POST', path: '/connectors' };
      case 'put-new':
        return { method: 'PUT', path: `/connectors/${fresh}/config` };
      case 'put-existing':
        return { method: 'PUT', path: `/connectors/${enc(world.sink)}/config` };
      case 'patch':
        return { method: 'PATCH', path: `/connectors/${enc(world.sink)}/config` };
      case 'alias-new':
        return { method: 'POST', path: `/connectors/${fresh}` };
      case 'alias-existing':
        return { method: 'POST', path: `/connectors/${enc(world.sink)}` };
      case 'validate':
        return { method: 'PUT', path: `/connector-plugins/${plugin}/config/validate` };
      case 'offsets-stopped':
        return { method: 'PATCH', path: `/connectors/${enc(world.stopped)}/offsets` };
      case 'offsets-running':
        return { method: 'PATCH', path: `/connectors/${enc(world.running)}/offsets` };
    }
  };
  /** A body the route would take; `extra` lands where a config value or offset goes. */
  const valid = (t: Target, extra: Record<string, unknown> = {}): Record<string, unknown> => {
    switch (shapeOf(t)) {
      case 'create':
        return { name: `case-${n}`, config: { ...sink, ...extra } };
      case 'flat':
        // The validate endpoint wants a name, as Kafka Connect's does.
        return t === 'validate' ? { name: `case-${n}`, ...sink, ...extra } : { ...sink, ...extra };
      case 'patch':
        return { 'tasks.max': '1', ...extra };
      case 'offsets':
        return { offsets: [{ partition: { filename: 'f' }, offset: { position: 1, ...extra } }] };
    }
  };
  const add = (
    category: Category,
    t: Target,
    label: string,
    body: string,
    expectation: Expectation,
    options: { contentType?: string; plugin?: string; path?: string; method?: string } = {},
  ) => {
    const r = route(t, options.plugin);
    cases.push({
      category,
      label: `#${n} ${category} ${t}: ${label}`,
      method: options.method ?? r.method,
      path: options.path ?? r.path,
      body,
      ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
      expect: expectation,
    });
    n++;
  };

  const g: Generator = {
    rng,
    world,
    sink,
    source,
    get n() {
      return n;
    },
    valid,
    add,
  };
  for (const section of [
    badJson,
    topLevelTypes,
    fieldTypes,
    unknownFields,
    hugeBodies,
    deepBodies,
    configValues,
    names,
    contentTypes,
    percentEncoding,
    offsetsState,
  ]) {
    section(g);
  }
  return cases;
}

/** Bad JSON text: truncated, trailing commas, quotes, NaN, BOM, empty, garbage. */
function badJson(g: Generator): void {
  const { rng, valid, add } = g;
  for (const t of TARGETS) {
    const text = JSON.stringify(valid(t));
    const variants: [string, string][] = [
      ['trailing comma', text.replace(/}$/, ',}')],
      ['trailing comma in a list', '[1,2,]'],
      ['single quotes', text.replaceAll('"', "'")],
      ['NaN', text.replace(/:"[^"]*"/, ':NaN')],
      ['Infinity', text.replace(/:"[^"]*"/, ':-Infinity')],
      ['undefined', text.replace(/:"[^"]*"/, ':undefined')],
      ['unquoted keys', text.replace(/"([\w.]+)":/g, '$1:')],
      ['a comment', `/* note */${text}`],
      ['a line comment', `// note\n${text}`],
      ['a byte order mark', `\ufeff${text}`],
      ['two documents', `${text}${text}`],
      ['a hex number', text.replace(/:"[^"]*"/, ':0x10')],
      ['a bad escape', text.replace(/:"[^"]*"/, ':"\\x41"')],
      ['a raw control character in a string', text.replace(/:"/, ':"\u0001')],
      ['Python literals', "{'name': 'x', 'config': {'a': True, 'b': None}}"],
      ['a lone brace', '{'],
      ['100,000 open brackets', '['.repeat(100_000)],
      ['empty', ''],
      ['only whitespace', ' \n\t\r  '],
      ['only a no-break space', '\u00a0'],
    ];
    for (let i = 0; i < 3; i++) {
      variants.push([`truncated (${i})`, text.slice(0, rng.int(1, text.length - 1))]);
    }
    for (let i = 0; i < 2; i++) {
      let garbage: string;
      do {
        garbage = Array.from({ length: rng.int(1, 48) }, () =>
          String.fromCharCode(rng.int(0, 255)),
        ).join('');
      } while (isJson(garbage));
      variants.push([`binary garbage (${i})`, garbage]);
    }
    for (const [label, body] of variants) {
      expect(isJson(body), `bad JSON generator: ${label}`).toBe(false);
      const empty = body.trim() === '';
      add('bad-json', t, label, body, error(400, empty ? /body is empty/ : /not valid JSON/));
    }
  }
}

/** Valid JSON of the wrong type at the top: arrays, strings, numbers, null, booleans. */
function topLevelTypes(g: Generator): void {
  const { valid, add } = g;
  for (const t of TARGETS) {
    const tops = ['[]', '[1,2,3]', '"a string"', '""', '42', '-1.5', '0', 'null', 'true', 'false'];
    tops.push(`[${JSON.stringify(valid(t))}]`);
    for (const body of tops) {
      const kind = KIND(JSON.parse(body));
      add(
        'top-level-type',
        t,
        body.slice(0, 40),
        body,
        error(400, new RegExp(`the body: must be a JSON object.*, not ${esc(kind)}$`)),
      );
    }
  }
}

/** Fields and values of the wrong type, and numbers a double cannot hold exactly. */
function fieldTypes(g: Generator): void {
  const { rng, sink, valid, add } = g;
  const wrongValues: unknown[] = [{}, { a: 1 }, [], ['a'], [[]], { nested: { deep: 1 } }];
  const notAString = (v: unknown) => new RegExp(`must be a string .*, not ${esc(KIND(v))}$`);
  for (const name of [7, 1.5, {}, { first: 'x' }, [], ['x'], null, true, false, undefined]) {
    const body = JSON.stringify({ name, config: sink });
    const why = name === undefined ? 'is required' : `must be .*, not ${esc(KIND(name))}`;
    add(
      'field-type',
      'create',
      `name ${body.slice(0, 30)}`,
      body,
      error(400, new RegExp(`"name": ${why}`)),
    );
  }
  for (const config of [[], ['a'], 'str', 5, null, true, undefined, [sink]]) {
    const body = JSON.stringify({ name: `case-${g.n}`, config });
    const why = config === undefined ? 'is required' : `must be .*, not ${esc(KIND(config))}`;
    add(
      'field-type',
      'create',
      `config ${String(body).slice(0, 40)}`,
      body,
      error(400, new RegExp(`"config": ${why}`)),
    );
  }
  for (const key of ['connector.class', 'tasks.max', 'file', 'topics', 'x.extra']) {
    for (const value of [...wrongValues, null]) {
      const body = JSON.stringify({ name: `case-${g.n}`, config: { ...sink, [key]: value } });
      add(
        'field-type',
        'create',
        `config.${key} = ${JSON.stringify(value)}`,
        body,
        error(400, new RegExp(`"config"\\."${esc(key)}": ${notAString(value).source}`)),
      );
    }
  }
  for (const state of ['BROKEN', 'running', 1, null, true, []]) {
    const body = JSON.stringify({ name: `case-${g.n}`, config: sink, initial_state: state });
    add(
      'field-type',
      'create',
      `initial_state ${JSON.stringify(state)}`,
      body,
      error(400, /"initial_state": must be one of RUNNING, PAUSED, STOPPED/),
    );
  }
  for (const t of ['put-new', 'put-existing', 'alias-new', 'alias-existing', 'validate'] as const) {
    for (let i = 0; i < 8; i++) {
      const key = rng.pick([
        'connector.class',
        'tasks.max',
        'file',
        'topics',
        'x.extra',
        'db.password',
      ]);
      const value = rng.pick([...wrongValues, null]);
      const body = JSON.stringify({ ...sink, [key]: value });
      add(
        'field-type',
        t,
        `${key} = ${JSON.stringify(value)}`,
        body,
        error(400, new RegExp(`"${esc(key)}": ${notAString(value).source}`)),
      );
    }
  }
  for (const value of wrongValues) {
    const key = rng.pick(['tasks.max', 'file', 'x.extra']);
    const body = JSON.stringify({ [key]: value });
    add(
      'field-type',
      'patch',
      `${key} = ${JSON.stringify(value)}`,
      body,
      error(
        400,
        new RegExp(
          `"${esc(key)}": must be a string .* or null to remove the key, not ${esc(KIND(value))}`,
        ),
      ),
    );
  }
  for (const t of ['offsets-stopped', 'offsets-running'] as const) {
    const entry = { partition: { filename: 'f' }, offset: { position: 1 } };
    const offsetsCases: [string, unknown, RegExp][] = [
      [
        'offsets a string',
        { offsets: 'x' },
        /"offsets": must be a list of \{partition, offset\}, not a string/,
      ],
      ['offsets a number', { offsets: 5 }, /"offsets": must be a list .*, not a number/],
      ['offsets an object', { offsets: entry }, /"offsets": must be a list .*, not an object/],
      ['offsets null', { offsets: null }, /"offsets": must be a list .*, not null/],
      ['offsets missing', {}, /"offsets": is required/],
      ['offsets empty', { offsets: [] }, /"offsets": must list at least one partition/],
      [
        'an entry a number',
        { offsets: [5] },
        /"offsets"\.\[0\]: must be an object with partition and offset.*, not a number/,
      ],
      [
        'an entry a string',
        { offsets: [entry, 'x'] },
        /"offsets"\.\[1\]: must be an object .*, not a string/,
      ],
      ['an entry null', { offsets: [null] }, /"offsets"\.\[0\]: must be an object .*, not null/],
      [
        'an entry an array',
        { offsets: [[entry]] },
        /"offsets"\.\[0\]: must be an object .*, not an array/,
      ],
      ['an entry empty', { offsets: [{}] }, /"offsets"\.\[0\]\."partition": is required/],
      [
        'partition an array',
        { offsets: [{ ...entry, partition: [] }] },
        /"partition": must be a JSON object, not an array/,
      ],
      [
        'partition a string',
        { offsets: [{ ...entry, partition: 'f' }] },
        /"partition": must be a JSON object, not a string/,
      ],
      [
        'partition a number',
        { offsets: [{ ...entry, partition: 1 }] },
        /"partition": must be a JSON object, not a number/,
      ],
      [
        'partition null',
        { offsets: [{ ...entry, partition: null }] },
        /"partition": must be a JSON object, not null/,
      ],
      ['partition missing', { offsets: [{ offset: entry.offset }] }, /"partition": is required/],
      [
        'offset an array',
        { offsets: [{ ...entry, offset: [1] }] },
        /"offset": must be a JSON object, not an array/,
      ],
      [
        'offset a string',
        { offsets: [{ ...entry, offset: '1' }] },
        /"offset": must be a JSON object, not a string/,
      ],
      [
        'offset a number',
        { offsets: [{ ...entry, offset: 1 }] },
        /"offset": must be a JSON object, not a number/,
      ],
      [
        'offset a boolean',
        { offsets: [{ ...entry, offset: true }] },
        /"offset": must be a JSON object, not a boolean/,
      ],
      ['offset missing', { offsets: [{ partition: entry.partition }] }, /"offset": is required/],
    ];
    for (const [label, body, message] of offsetsCases) {
      add('field-type', t, label, JSON.stringify(body), error(400, message));
    }
  }
  // Numbers JSON carries but a double cannot hold exactly would be stored changed.
  for (const t of TARGETS) {
    for (const number of ['12345678901234567890', '9007199254740993', '1e400', '-1e400', '1e300']) {
      const body = JSON.stringify(valid(t, { 'x.id': 0 })).replace('"x.id":0', `"x.id":${number}`);
      add(
        'field-type',
        t,
        `the number ${number}`,
        body,
        error(400, /holds a number too large to keep exactly at \$\..*x\.id: send it as a string/),
      );
    }
  }
}

/** Unknown top-level fields, and __proto__ (which zod would drop without a word). */
function unknownFields(g: Generator): void {
  const { rng, sink, valid, add } = g;
  const extras = [
    'extra',
    'Name',
    'configs',
    'tasks',
    'type',
    'initial-state',
    'initialState',
    'connector.class',
    'topics',
    'constructor',
    'toString',
    'hasOwnProperty',
    '$where',
    'name ',
    ' config',
    ...INJECTIONS,
  ];
  for (const extra of extras) {
    const body = JSON.stringify({
      name: `case-${g.n}`,
      config: sink,
      [extra]: rng.pick(['x', 1, {}, [], null]),
    });
    add(
      'unknown-field',
      'create',
      `field ${JSON.stringify(extra)}`,
      body,
      error(
        400,
        new RegExp(
          `the body: unknown field\\(s\\) ${esc(JSON.stringify(extra))}; expected name, config, initial_state`,
        ),
      ),
    );
  }
  for (const t of ['offsets-stopped', 'offsets-running'] as const) {
    for (const extra of ['extra', 'offset', 'partitions', 'Offsets', 'connector']) {
      const body = JSON.stringify({ ...valid(t), [extra]: 1 });
      add(
        'unknown-field',
        t,
        `field ${extra}`,
        body,
        error(400, new RegExp(`the body: unknown field\\(s\\) "${extra}"; expected offsets`)),
      );
    }
    for (const extra of ['extra', 'offsets', 'Partition', 'sourcePartition']) {
      const body = JSON.stringify({ offsets: [{ partition: { f: 1 }, offset: null, [extra]: 1 }] });
      add(
        'unknown-field',
        t,
        `entry field ${extra}`,
        body,
        error(
          400,
          new RegExp(
            `"offsets"\\.\\[0\\]: unknown field\\(s\\) "${extra}"; expected partition, offset`,
          ),
        ),
      );
    }
  }
  for (const t of [
    'put-new',
    'put-existing',
    'alias-new',
    'alias-existing',
    'validate',
    'patch',
  ] as const) {
    // The classic mistake: POST /connectors' shape sent where a flat config goes.
    const body = JSON.stringify({ name: `case-${g.n}`, config: sink });
    add(
      'unknown-field',
      t,
      'a create request where a flat config goes',
      body,
      error(400, /"config": must be a string .*, not an object/),
    );
  }
  for (const t of TARGETS) {
    for (const where of ['top', 'inside']) {
      const inner = JSON.stringify(valid(t, { 'x.proto': 'P' }));
      const body =
        where === 'top'
          ? `{"__proto__":{"polluted":true},${JSON.stringify(valid(t)).slice(1)}`
          : inner.replace('"x.proto":"P"', '"__proto__":{"polluted":true}');
      add(
        'unknown-field',
        t,
        `__proto__ at the ${where}`,
        body,
        error(400, /uses the key "__proto__" \(in \$.*\), which cannot be kept/),
      );
    }
  }
}

/** Bodies over 256 KiB (counted in UTF-8 bytes), and configs over what one item holds. */
function hugeBodies(g: Generator): void {
  const { rng, valid, add } = g;
  for (const t of TARGETS) {
    for (const [size, unit] of [
      [256 * 1024 + 1, 'x'],
      [300_000, 'x'],
      [1_048_576, 'x'],
      [3_000_000, 'x'],
      [140_000, 'é'],
    ] as const) {
      const body = JSON.stringify(valid(t, { 'x.pad': unit.repeat(size) }));
      const bytes = Buffer.byteLength(body);
      add(
        'huge',
        t,
        `${bytes} bytes of ${unit}`,
        body,
        error(413, new RegExp(`the request body is ${bytes} bytes; at most 262144 are accepted`)),
      );
    }
  }
  for (const t of CONFIG_TARGETS) {
    for (let i = 0; i < 3; i++) {
      const size = rng.int(100 * 1024 + 200, 250 * 1024);
      const body = JSON.stringify(valid(t, { 'x.big': 'b'.repeat(size) }));
      const reason =
        /the config is \d+ bytes, over the limit of 102400 .*this key's value is the largest/;
      add(
        'huge',
        t,
        `a ${size}-byte config value`,
        body,
        t === 'validate'
          ? { kind: 'config-errors', key: 'x.big', message: reason }
          : error(400, new RegExp(`x\\.big: ${reason.source}`)),
      );
    }
    const tasks = rng.int(6, 20);
    const body = JSON.stringify(
      valid(t, { 'x.big': 'b'.repeat(60_000), 'tasks.max': String(tasks) }),
    );
    const reason = new RegExp(
      `${tasks} tasks of a \\d+-byte config make \\d+ bytes of task configs, over the limit of 350000`,
    );
    add(
      'huge',
      t,
      `${tasks} tasks of a 60 KB config`,
      body,
      t === 'validate'
        ? { kind: 'config-errors', key: 'tasks.max', message: reason }
        : error(400, new RegExp(`tasks\\.max: ${reason.source}`)),
    );
  }
}

/** Deeply nested, where a value goes and as the whole body. */
function deepBodies(g: Generator): void {
  const { rng, valid, add } = g;
  const nest = (depth: number, kind: 'arrays' | 'objects') =>
    kind === 'arrays'
      ? `${'['.repeat(depth)}${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  for (const t of TARGETS) {
    const depths = [33, 34, 64, rng.int(35, 5000), rng.int(35, 5000), 5000];
    for (const [i, depth] of depths.entries()) {
      const kind = i % 2 === 0 ? 'arrays' : 'objects';
      const whole = i % 3 === 0;
      const body = whole
        ? nest(depth, kind)
        : JSON.stringify(valid(t, { 'x.deep': 0 })).replace(
            '"x.deep":0',
            `"x.deep":${nest(depth, kind)}`,
          );
      add(
        'deep',
        t,
        `${depth} levels of ${kind}${whole ? ' as the body' : ''}`,
        body,
        error(400, /nests deeper than 32 levels \(at \$/),
      );
    }
    const body = JSON.stringify(valid(t, { 'x.deep': 0 })).replace(
      '"x.deep":0',
      `"x.deep":${nest(100_000, 'arrays')}`,
    );
    add('deep', t, '100,000 levels of arrays', body, error(400, /nests deeper than 32 levels/));
  }
}

/** Invalid config values, each on every route that takes a config. */
function configValues(g: Generator): void {
  const { rng, sink, source, add } = g;
  type Base = 'sink' | 'source';
  const variants: {
    base: Base;
    key: string;
    value: string | undefined;
    reason: RegExp;
    validate?: 'skip' | 'class';
    /** Where the error lands, when not on `key`. */
    errorKey?: string;
  }[] = [
    ...['two', '-1', '0', '1e9', '1000000000', '99', '1.5', '', ' ', '0x10', 'NaN', '1 000'].map(
      (value) => ({
        base: 'sink' as const,
        key: 'tasks.max',
        value,
        reason:
          /Invalid value .* for configuration tasks\.max: (Not a number of type INT|Value must be)/,
      }),
    ),
    ...['maybe', 'some', 'ALLL', 'none,all', ...INJECTIONS].map((value) => ({
      base: 'sink' as const,
      key: 'errors.tolerance',
      value,
      reason: /String must be one of: none, all/,
    })),
    {
      base: 'sink',
      key: 'errors.tolerance',
      value: '${jndi:ldap://x}',
      reason: /unknown config provider "jndi"/,
    },
    { base: 'sink', key: 'errors.retry.timeout', value: 'soon', reason: /Not a number of type/ },
    { base: 'sink', key: 'errors.log.enable', value: 'yes', reason: /either true or false/ },
    ...['com.example.Nope', 'File StreamSink', ...INJECTIONS].map((value) => ({
      base: 'sink' as const,
      key: 'connector.class',
      value,
      reason: /no connector plugin matches/,
      validate: 'class' as const,
    })),
    {
      base: 'sink',
      key: 'connector.class',
      value: '',
      reason: /String must be non-empty/,
      validate: 'class',
    },
    {
      base: 'source',
      key: 'connector.class',
      value: '${jndi:ldap://x}',
      reason: /connector\.class/,
      validate: 'class',
    },
    {
      base: 'sink',
      key: 'connector.class',
      value: undefined,
      reason: /Missing required configuration "connector\.class"/,
      validate: 'skip',
    },
    {
      base: 'source',
      key: 'connector.class',
      value: undefined,
      reason: /Missing required configuration "connector\.class"/,
      validate: 'skip',
    },
    {
      base: 'sink',
      key: 'topics',
      value: undefined,
      reason: /Missing required configuration "topics"/,
    },
    // Only names RocketMQ refuses: a valid one would be created as a topic.
    ...['bad topic', 't'.repeat(200), ...INJECTIONS.filter((v) => !/^[%|\w-]+$/.test(v))].map(
      (value) => ({
        base: 'sink' as const,
        key: 'topics',
        value,
        reason: /Topic name .* (may only hold|is longer than)/,
      }),
    ),
    { base: 'sink', key: 'topics.regex', value: '(', reason: /topics\.regex/ },
    {
      base: 'sink',
      key: 'consumer.group',
      value: 'bad group!',
      reason: /Group name .* may only hold/,
    },
    ...['bad topic', '<script>alert(1)</script>', '../../etc/passwd'].map((value) => ({
      base: 'source' as const,
      key: 'topic',
      value,
      reason: /Topic name .* may only hold/,
    })),
    { base: 'source', key: 'message.group.by.key', value: 'maybe', reason: /either true or false/ },
    ...['lots', '0', '-1'].map((value) => ({
      base: 'source' as const,
      key: 'batch.size',
      value,
      reason: /batch\.size/,
    })),
    {
      base: 'sink',
      key: 'key.converter',
      value: 'Nope',
      reason: /no converter plugin matches "Nope"/,
    },
    {
      base: 'sink',
      key: 'value.converter',
      value: '<script>alert(1)</script>',
      reason: /value\.converter/,
    },
    {
      base: 'sink',
      key: 'transforms',
      value: 'route',
      errorKey: 'transforms.route.type',
      reason: /"route" is listed in transforms, so it needs a type/,
    },
    ...['${vault:db/password}', '${env:}', '${ssm:/db/url', '${jndi:ldap://x}'].map((value) => ({
      base: 'sink' as const,
      key: 'file',
      value,
      reason: /(reference|provider|Reference)/i,
    })),
    ...['', ' ', 'a\u0000b', 'line\nbreak'].map((value) => ({
      base: 'sink' as const,
      key: 'file',
      value,
      reason: /String must (be non-empty|not contain control characters)|Missing required/,
    })),
    {
      base: 'sink',
      key: 'name',
      value: 'someone-else',
      reason: /the config says name="someone-else"/,
      validate: 'skip',
    },
  ];
  for (const v of variants) {
    for (const t of CONFIG_TARGETS) {
      if (t === 'patch' && v.base !== 'sink') continue; // the patched connector is a sink
      if (t === 'validate' && v.validate === 'skip') continue;
      const base: Record<string, string> = v.base === 'sink' ? { ...sink } : { ...source };
      if (v.value === undefined) delete base[v.key];
      else base[v.key] = v.value;
      // Half the cases carry harmless unknown keys with injection-looking values besides.
      if (rng.next() < 0.5) base[`x.note${g.n}`] = rng.pick(INJECTIONS);
      const label = `${v.key} = ${JSON.stringify(v.value)}`;
      const plugin = v.base === 'sink' ? 'FileStreamSink' : 'FileStreamSource';
      let body: string;
      if (t === 'create') body = JSON.stringify({ name: `case-${g.n}`, config: base });
      else if (t === 'patch') body = JSON.stringify({ [v.key]: v.value ?? null });
      else if (t === 'validate') body = JSON.stringify({ name: `case-${g.n}`, ...base });
      else body = JSON.stringify(base);
      const key = v.errorKey ?? v.key;
      const expectation: Expectation =
        t === 'validate'
          ? v.validate === 'class'
            ? error(400, /connector\.class .* does not match the plugin in the path/)
            : { kind: 'config-errors', key, message: v.reason }
          : error(400, new RegExp(`${esc(key)}: .*${v.reason.source}`));
      add('config-value', t, label, body, expectation, { plugin });
    }
  }
}

/** Names: injection-looking ones are just names; control characters and length are refused. */
function names(g: Generator): void {
  const { sink, add } = g;
  const byName = (
    t: 'create' | 'put-new' | 'alias-new',
    name: string,
    label: string,
    expectation: Expectation,
  ) => {
    const path = `/connectors/${enc(name)}${t === 'put-new' ? '/config' : ''}`;
    const body = JSON.stringify(t === 'create' ? { name, config: sink } : sink);
    add('names', t, label, body, expectation, t === 'create' ? {} : { path });
  };
  const nameTargets = ['create', 'put-new', 'alias-new'] as const;
  const controls = [...Array.from({ length: 32 }, (_, i) => i), 0x7f, 0x85, 0x9f];
  for (const code of controls) {
    const name = `bad${String.fromCharCode(code)}name`;
    for (const t of nameTargets) {
      byName(
        t,
        name,
        `U+${code.toString(16).padStart(4, '0')} in the name`,
        error(400, /name: a connector name must not contain control characters/),
      );
    }
  }
  for (const name of ['a'.repeat(256), 'b'.repeat(300), 'c'.repeat(1000), '🚀'.repeat(128)]) {
    for (const t of nameTargets) {
      byName(
        t,
        name,
        `a ${name.length}-character name`,
        error(
          400,
          new RegExp(
            `name: a connector name has at most 255 characters, this one has ${name.length}`,
          ),
        ),
      );
    }
  }
  for (const name of [' ', '   ', '\u3000']) {
    for (const t of nameTargets)
      byName(
        t,
        name,
        `the blank name ${JSON.stringify(name)}`,
        error(400, /name: a connector name must not be empty or blank/),
      );
  }
  byName(
    'create',
    '',
    'the empty name',
    error(400, /name: a connector name must not be empty or blank/),
  );
  add(
    'names',
    'put-new',
    'the empty name in the path',
    JSON.stringify(sink),
    error(400, /name: a connector name must not be empty or blank/),
    { path: '/connectors//config' },
  );
  for (const name of ['a\ud800b', '\udfff', 'x\ud83d']) {
    const body = JSON.stringify({ name, config: sink });
    add(
      'names',
      'create',
      `the unpaired surrogate name ${JSON.stringify(name)}`,
      body,
      error(400, /not valid Unicode \(an unpaired UTF-16 surrogate\) at \$\.name/),
    );
  }
  for (const name of ['${jndi:ldap://x}', '${env:HOME}']) {
    for (const t of nameTargets)
      byName(
        t,
        name,
        `the reference-looking name ${name}`,
        error(400, /name: .*(reference|provider)/i),
      );
  }
  const oddButValid = [
    ...INJECTIONS,
    'a/b',
    'a%2Fb',
    'name with spaces',
    'コネクタ-🚀',
    'émoji-🔥',
    'O\u2019Brien',
    'null',
    'SELECT * FROM connectors',
  ];
  for (const [i, base] of oddButValid.entries()) {
    const t = nameTargets[i % nameTargets.length]!;
    const name = `${base}-${g.n}`;
    byName(t, name, `the odd but valid name ${JSON.stringify(name)}`, { kind: 'created', name });
  }
  byName('create', `${'d'.repeat(250)}-${g.n}`.slice(0, 255), 'a 255-character name', {
    kind: 'created',
    name: `${'d'.repeat(250)}-${g.n}`.slice(0, 255),
  });
}

/** Content types that say the body is not JSON. */
function contentTypes(g: Generator): void {
  const { valid, add } = g;
  const types = [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'text/json',
    'application/jsonx',
    'text/html; charset=utf-8',
    'application/octet-stream',
    'image/png',
  ];
  for (const t of TARGETS) {
    for (const type of types) {
      add(
        'content-type',
        t,
        type,
        JSON.stringify(valid(t)),
        error(
          415,
          new RegExp(
            `must be JSON \\(content-type: application/json\\), not ${esc(JSON.stringify(type))}`,
          ),
        ),
        { contentType: type },
      );
    }
  }
}

/** Bad percent-encoding in the path, on every route with a name or plugin in it. */
function percentEncoding(g: Generator): void {
  const { sink, valid, add } = g;
  const segments = [
    '%E0%A4%A',
    '%',
    '%zz',
    '%F0%9F',
    '%ED%A0%80',
    '%C0%AF',
    '%FF',
    'a%2',
    '%E2%82',
  ];
  for (const segment of segments) {
    const message = new RegExp(
      `the path segment ${esc(JSON.stringify(segment))} is not valid percent-encoding`,
    );
    const body = JSON.stringify(sink);
    add('percent-encoding', 'put-new', segment, body, error(400, message), {
      path: `/connectors/${segment}/config`,
    });
    add('percent-encoding', 'patch', segment, body, error(400, message), {
      path: `/connectors/${segment}/config`,
    });
    add('percent-encoding', 'alias-new', segment, body, error(400, message), {
      path: `/connectors/${segment}`,
    });
    add('percent-encoding', 'validate', segment, body, error(400, message), {
      path: `/connector-plugins/${segment}/config/validate`,
    });
    add(
      'percent-encoding',
      'offsets-stopped',
      segment,
      JSON.stringify(valid('offsets-stopped')),
      error(400, message),
      { path: `/connectors/${segment}/offsets` },
    );
  }
}

/** Well-formed offsets where they cannot apply: nothing may be written. */
function offsetsState(g: Generator): void {
  const { rng, world, add } = g;
  const randomOffsets = () => ({
    offsets: Array.from({ length: rng.int(1, 5) }, (_, i) => ({
      partition: { filename: `/tmp/f${rng.int(0, 9)}`, shard: i },
      offset: rng.next() < 0.3 ? null : { position: rng.int(0, 1_000_000) },
    })),
  });
  for (let i = 0; i < 20; i++) {
    add(
      'offsets-state',
      'offsets-running',
      'offsets of a RUNNING connector',
      JSON.stringify(randomOffsets()),
      error(409, /its target state is RUNNING, and offsets change only while it is STOPPED/),
    );
  }
  for (let i = 0; i < 10; i++) {
    add(
      'offsets-state',
      'offsets-running',
      'offsets of a sink',
      JSON.stringify(randomOffsets()),
      error(400, /offsets\[0\]\.partition: a sink's partition is \{"rocketmq_topic"/),
      { path: `/connectors/${enc(world.sink)}/offsets` },
    );
  }
  for (let i = 0; i < 5; i++) {
    add(
      'offsets-state',
      'offsets-running',
      'offsets of no connector',
      JSON.stringify(randomOffsets()),
      error(404, /connector "no-such-\d+" does not exist/),
      { path: `/connectors/no-such-${g.n}/offsets` },
    );
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ---- Running a case ------------------------------------------------------------------------

/** What is wrong with the answer to a case; empty when it is right. */
async function runCase(api: TestApi, c: Case): Promise<string[]> {
  const problems: string[] = [];
  const fail = (what: string) => problems.push(`${c.label}: ${what}`);
  let status: number;
  let text: string;
  let contentType: string | null;
  try {
    const response = await api.call(c.method, c.path, {
      body: c.body,
      headers: { 'content-type': c.contentType ?? 'application/json' },
    });
    status = response.status;
    contentType = response.headers.get('content-type');
    text = await response.text();
  } catch (err) {
    fail(`the request failed: ${String(err)}`);
    return problems;
  }
  if (status >= 500) fail(`answered ${status}: ${text.slice(0, 300)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    fail(`answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`);
    return problems;
  }
  if (!contentType?.startsWith('application/json')) fail(`content-type ${contentType}`);
  const e = c.expect;
  switch (e.kind) {
    case 'error': {
      const { error_code, message } = body as { error_code?: unknown; message?: unknown };
      if (status !== e.status) fail(`expected ${e.status}, got ${status}: ${text.slice(0, 300)}`);
      if (error_code !== status)
        fail(`error_code ${String(error_code)} is not the status ${status}`);
      if (typeof message !== 'string') fail(`message is ${typeof message}`);
      else if (!e.message.test(message))
        fail(
          `message ${JSON.stringify(message.slice(0, 400))} does not match ${String(e.message)}`,
        );
      break;
    }
    case 'config-errors': {
      const infos = body as {
        error_count?: number;
        configs?: { value: { name: string; errors: string[] } }[];
      };
      if (status !== 200) fail(`expected 200 with errors, got ${status}: ${text.slice(0, 300)}`);
      const errors = infos.configs?.find((x) => x.value.name === e.key)?.value.errors ?? [];
      if (!(typeof infos.error_count === 'number' && infos.error_count >= 1))
        fail(`error_count ${infos.error_count}`);
      if (!errors.some((m) => e.message.test(m)))
        fail(`errors on ${e.key} ${JSON.stringify(errors)} do not match ${String(e.message)}`);
      break;
    }
    case 'created': {
      const { name } = body as { name?: unknown };
      if (status !== 201) fail(`expected 201, got ${status}: ${text.slice(0, 300)}`);
      if (name !== e.name) fail(`created as ${JSON.stringify(name)}`);
      const read = await api.call('GET', `/connectors/${enc(e.name)}`);
      const back = (await read.json()) as { name?: unknown };
      if (read.status !== 200 || back.name !== e.name)
        fail(`reads back as ${read.status} ${JSON.stringify(back)}`);
      break;
    }
  }
  return problems;
}

// ---- The tests -----------------------------------------------------------------------------

interface Setup {
  readonly api: TestApi;
  readonly store: DynamoStateStore;
  readonly world: World;
  readonly cases: readonly Case[];
  readonly before: {
    snapshot: StateSnapshot;
    offsets: Record<string, OffsetEntry[]>;
    invokes: number;
  };
}

const SEED = 20_240_611;

const it = test.extend(
  'setup',
  { scope: 'file' },
  async ({ stack, table, dynamo, topics }, { onCleanup }): Promise<Setup> => {
    const topic = await topics.topic('NORMAL');
    const api = await startTestApi(stack, table);
    onCleanup(() => api.close());
    const world: World = {
      topic,
      stopped: 'source-stopped',
      running: 'source-running',
      sink: 'sink-patched',
    };
    const source = {
      'connector.class': 'FileStreamSource',
      file: '/tmp/api-malformed-source.txt',
      topic,
    };
    const made = [
      await api.call('POST', '/connectors', {
        body: { name: world.stopped, config: source, initial_state: 'STOPPED' },
      }),
      await api.call('POST', '/connectors', { body: { name: world.running, config: source } }),
      await api.call('POST', '/connectors', {
        body: {
          name: world.sink,
          config: {
            'connector.class': 'FileStreamSink',
            file: '/tmp/api-malformed-sink.txt',
            topics: topic,
          },
        },
      }),
      await api.call('PATCH', `/connectors/${world.stopped}/offsets`, {
        body: {
          offsets: [
            { partition: { filename: '/tmp/a' }, offset: { position: 42 } },
            { partition: { filename: '/tmp/b' }, offset: { position: 7 } },
          ],
        },
      }),
    ];
    expect(made.map((r) => r.status)).toEqual([201, 201, 201, 200]);
    const store = new DynamoStateStore(dynamo, table);
    const before = {
      snapshot: await store.snapshot(),
      offsets: {
        [world.stopped]: await store.readOffsets(world.stopped),
        [world.running]: await store.readOffsets(world.running),
      },
      invokes: api.invokes.length,
    };
    expect(before.offsets[world.stopped]).toHaveLength(2);
    return { api, store, world, cases: generateCases(world, SEED), before };
  },
);

describe('1,000+ generated malformed bodies and configs on the write routes', () => {
  it('the generator makes over 1,000 cases, spread over every category and route', ({ setup }) => {
    const counts = Object.fromEntries(
      [...groupBy(setup.cases, (c) => c.category)].map(([k, v]) => [k, v.length]),
    );
    console.info(
      `api-malformed: ${setup.cases.length} cases (seed ${SEED}): ${JSON.stringify(counts)}`,
    );
    expect(setup.cases.length).toBeGreaterThanOrEqual(1000);
    for (const category of Object.keys(CATEGORIES))
      expect(counts[category] ?? 0).toBeGreaterThanOrEqual(30);
    const routes = new Set(
      setup.cases.map(
        (c) => `${c.method} ${c.path.replace(/fresh-\d+/, 'fresh').replace(/case-\d+/, 'case')}`,
      ),
    );
    expect(routes.size).toBeGreaterThanOrEqual(TARGETS.length);
  });

  for (const [category, sentence] of Object.entries(CATEGORIES)) {
    it(`${category}: ${sentence}`, async ({ setup }) => {
      const mine = setup.cases.filter((c) => c.category === category);
      const problems = (await mapBounded(mine, 8, (c) => runCase(setup.api, c))).flat();
      expect(problems).toEqual([]);
    });
  }

  it('after every case the state holds only what the test created on purpose', async ({
    setup,
  }) => {
    const { store, before, world, api } = setup;
    const created = setup.cases.flatMap((c) =>
      c.expect.kind === 'created' ? [c.expect.name] : [],
    );
    const after = await store.snapshot();
    const originals = new Set(before.snapshot.connectors.map((c) => c.name));
    expect(after.connectors.filter((c) => originals.has(c.name))).toEqual(
      before.snapshot.connectors,
    );
    expect(
      after.connectors
        .filter((c) => !originals.has(c.name))
        .map((c) => c.name)
        .sort(),
    ).toEqual([...created].sort());
    expect(after.taskConfigs).toEqual(before.snapshot.taskConfigs);
    expect(after.tasks).toEqual(before.snapshot.tasks);
    expect(after.connectorStatuses).toEqual(before.snapshot.connectorStatuses);
    expect(after.skipped ?? []).toEqual(before.snapshot.skipped ?? []);
    for (const name of [world.stopped, world.running]) {
      expect(await store.readOffsets(name)).toEqual(before.offsets[name]);
    }
    // Only the on-purpose creations woke the coordinator; no request failed on the server.
    expect(api.invokes.length - before.invokes).toBe(created.length);
    const statuses = api.logs.flatMap((line) => /^[A-Z]+ \S* (\d{3}) \d+ms$/.exec(line)?.[1] ?? []);
    expect(statuses.length).toBeGreaterThanOrEqual(setup.cases.length);
    expect(statuses.filter((s) => s.startsWith('5'))).toEqual([]);
    expect(api.logs.filter((line) => / failed: /.test(line))).toEqual([]);
  });
});
