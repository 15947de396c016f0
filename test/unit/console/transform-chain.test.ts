import { describe, expect, it } from 'vitest';
import type { PluginInfo } from '../../../console/src/api-types.js';
import {
  addTransform,
  aliasProblem,
  chainErrors,
  chainFromConfig,
  chainToConfig,
  EMPTY_CHAIN,
  isChainKey,
  moveTransform,
  pluginNamed,
  removeTransform,
  setPredicateType,
  updatePredicate,
  updateTransform,
  withSetting,
} from '../../../console/src/transform-chain.js';

const INSERT = 'org.apache.kafka.connect.transforms.InsertField$Value';
const HOIST = 'org.apache.kafka.connect.transforms.HoistField$Value';
const TOPIC_MATCHES = 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches';

/** A pasted config with two transforms sharing nothing, one predicate, and unrelated keys. */
const PASTED = {
  'connector.class': 'FileStreamSource',
  file: '/tmp/in.txt',
  transforms: 'hoist, wrap',
  'transforms.hoist.type': HOIST,
  'transforms.hoist.field': 'line',
  // RocketMQ Connect's spelling of the class key.
  'transforms.wrap.class': 'InsertField$Value',
  'transforms.wrap.static.field': 'origin',
  'transforms.wrap.static.value': 'file',
  'transforms.wrap.predicate': 'onLines',
  'transforms.wrap.negate': 'true',
  predicates: 'onLines',
  'predicates.onLines.type': TOPIC_MATCHES,
  'predicates.onLines.pattern': 'lines.*',
  // Not listed in transforms: not the chain's, so kept with the other keys.
  'transforms.old.type': 'RegexRouter',
};

describe('chainFromConfig and chainToConfig', () => {
  it('reads the listed transforms and predicates with their keys, and leaves the rest', () => {
    const { chain, rest } = chainFromConfig(PASTED);
    expect(chain).toEqual({
      transforms: [
        { alias: 'hoist', type: HOIST, typeKey: 'type', settings: { field: 'line' } },
        {
          alias: 'wrap',
          type: 'InsertField$Value',
          typeKey: 'class',
          settings: { 'static.field': 'origin', 'static.value': 'file' },
          predicate: 'onLines',
          negate: 'true',
        },
      ],
      predicates: [
        { name: 'onLines', type: TOPIC_MATCHES, typeKey: 'type', settings: { pattern: 'lines.*' } },
      ],
    });
    expect(rest).toEqual({
      'connector.class': 'FileStreamSource',
      file: '/tmp/in.txt',
      'transforms.old.type': 'RegexRouter',
    });
  });

  it('writes back every key it read, under the spelling it was read with', () => {
    const { chain, rest } = chainFromConfig(PASTED);
    expect({ ...rest, ...chainToConfig(chain) }).toEqual({
      ...PASTED,
      transforms: 'hoist,wrap',
    });
  });

  it('writes nothing for an empty chain, and leaves empty settings out', () => {
    expect(chainToConfig(EMPTY_CHAIN)).toEqual({});
    const chain = updateTransform(addTransform(EMPTY_CHAIN, 'wrap', INSERT), 0, (t) =>
      withSetting(withSetting(t, 'static.field', 'origin'), 'static.value', ''),
    );
    expect(chainToConfig(chain)).toEqual({
      transforms: 'wrap',
      'transforms.wrap.type': INSERT,
      'transforms.wrap.static.field': 'origin',
    });
  });

  it('adds a predicate a transform names but predicates does not list, without a type', () => {
    const { chain } = chainFromConfig({
      transforms: 'a',
      'transforms.a.type': 'RegexRouter',
      'transforms.a.predicate': 'missing',
    });
    expect(chain.predicates).toEqual([
      { name: 'missing', type: '', typeKey: 'type', settings: {} },
    ]);
    expect(chainToConfig(chain)).toMatchObject({ predicates: 'missing' });
  });

  it('keeps both a type and a class (the API refuses the pair on the class key)', () => {
    const config = { transforms: 'a', 'transforms.a.type': 'X', 'transforms.a.class': 'Y' };
    const { chain } = chainFromConfig(config);
    expect(chainToConfig(chain)).toEqual(config);
  });
});

describe('editing the chain', () => {
  const two = addTransform(addTransform(EMPTY_CHAIN, 'hoist', HOIST), 'wrap', INSERT);

  it('moves a transform up and down, and not past either end', () => {
    const moved = moveTransform(two, 1, -1);
    expect(moved.transforms.map((t) => t.alias)).toEqual(['wrap', 'hoist']);
    expect(chainToConfig(moved).transforms).toBe('wrap,hoist');
    expect(moveTransform(two, 0, -1)).toBe(two);
    expect(moveTransform(two, 1, 1)).toBe(two);
  });

  it('attaches a predicate named after the alias, changes its type, and detaches it', () => {
    const attached = setPredicateType(two, 1, TOPIC_MATCHES);
    expect(attached.transforms[1]).toMatchObject({ alias: 'wrap', predicate: 'wrap' });
    const withPattern = updatePredicate(attached, 'wrap', (p) => withSetting(p, 'pattern', 'x.*'));
    expect(chainToConfig(withPattern)).toMatchObject({
      'transforms.wrap.predicate': 'wrap',
      predicates: 'wrap',
      'predicates.wrap.type': TOPIC_MATCHES,
      'predicates.wrap.pattern': 'x.*',
    });
    const negated = updateTransform(withPattern, 1, (t) => ({ ...t, negate: 'true' }));
    const detached = setPredicateType(negated, 1, '');
    expect(detached.predicates).toEqual([]);
    expect(detached.transforms[1]).toEqual({
      alias: 'wrap',
      type: INSERT,
      typeKey: 'type',
      settings: {},
    });
  });

  it('names a second predicate apart from one already there', () => {
    const taken = {
      ...two,
      predicates: [{ name: 'wrap', type: 'X', typeKey: 'type' as const, settings: {} }],
    };
    expect(setPredicateType(taken, 1, TOPIC_MATCHES).transforms[1]?.predicate).toBe('wrap-2');
  });

  it('removes a transform and its predicate, but not a predicate another transform uses', () => {
    const { chain } = chainFromConfig({
      transforms: 'a,b',
      'transforms.a.type': 'RegexRouter',
      'transforms.a.predicate': 'p',
      'transforms.b.type': 'RegexRouter',
      'transforms.b.predicate': 'p',
      predicates: 'p',
      'predicates.p.type': 'TopicNameMatches',
    });
    const one = removeTransform(chain, 0);
    expect(one.predicates.map((p) => p.name)).toEqual(['p']);
    expect(removeTransform(one, 0)).toEqual(EMPTY_CHAIN);
  });

  it('refuses an empty, duplicate or comma-holding alias', () => {
    expect(aliasProblem(two, '')).toMatch(/alias/);
    expect(aliasProblem(two, 'wrap')).toMatch(/Another transform/);
    expect(aliasProblem(two, 'wrap', 1)).toBeUndefined();
    expect(aliasProblem(two, 'a,b')).toMatch(/commas/);
    expect(aliasProblem(two, 'route')).toBeUndefined();
  });
});

describe('where keys and their errors go', () => {
  const { chain } = chainFromConfig(PASTED);

  it('knows the keys the editor writes', () => {
    expect(isChainKey(chain, 'transforms')).toBe(true);
    expect(isChainKey(chain, 'transforms.wrap.static.field')).toBe(true);
    expect(isChainKey(chain, 'predicates.onLines.pattern')).toBe(true);
    expect(isChainKey(chain, 'transforms.old.type')).toBe(false);
    expect(isChainKey(chain, 'file')).toBe(false);
  });

  it('puts each error under its transform or predicate, the class key under type', () => {
    const placed = chainErrors(chain, {
      transforms: ['bad list'],
      'transforms.wrap.class': ['no such class'],
      'transforms.wrap.static.field': ['needs a value'],
      'predicates.onLines.pattern': ['not a regex'],
      'transforms.old.type': ['elsewhere'],
      file: ['missing'],
    });
    expect(placed.section).toEqual(['transforms: bad list']);
    expect(placed.transforms.get('wrap')).toEqual({
      type: ['no such class'],
      'static.field': ['needs a value'],
    });
    expect(placed.predicates.get('onLines')).toEqual({ pattern: ['not a regex'] });
    expect(placed.transforms.has('old')).toBe(false);
  });

  it('places a key of an alias holding a dot under the longest alias', () => {
    const dotted = addTransform(addTransform(EMPTY_CHAIN, 'a', INSERT), 'a.b', INSERT);
    const placed = chainErrors(dotted, { 'transforms.a.b.x': ['e'] });
    expect(placed.transforms.get('a.b')).toEqual({ x: ['e'] });
    expect(placed.transforms.has('a')).toBe(false);
  });
});

describe('pluginNamed', () => {
  const plugins: PluginInfo[] = [
    { class: INSERT, type: 'transformation', version: '1' },
    { class: TOPIC_MATCHES, type: 'predicate', version: '1' },
  ];

  it('finds a listed plugin by class name or short name, in its own kind only', () => {
    expect(pluginNamed(plugins, INSERT, 'transformation')?.class).toBe(INSERT);
    expect(pluginNamed(plugins, 'insertfield$value', 'transformation')?.class).toBe(INSERT);
    expect(pluginNamed(plugins, 'TopicNameMatches', 'transformation')).toBeUndefined();
    expect(pluginNamed(plugins, 'TopicNameMatches', 'predicate')?.class).toBe(TOPIC_MATCHES);
    expect(pluginNamed(plugins, '', 'predicate')).toBeUndefined();
  });

  it('finds an alias in another package by its last segment, when only one plugin has it', () => {
    const rocketmqName = 'org.apache.rocketmq.connect.transforms.InsertField$Value';
    expect(pluginNamed(plugins, rocketmqName, 'transformation')?.class).toBe(INSERT);
    const twice = [
      ...plugins,
      { class: 'other.InsertField$Value', type: 'transformation', version: '1' },
    ];
    expect(pluginNamed(twice as PluginInfo[], rocketmqName, 'transformation')).toBeUndefined();
  });
});
