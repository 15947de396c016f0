import { z } from 'zod';

/**
 * A `LIST` key read as Kafka's ConfigDef reads it, for transforms whose refusals must match
 * Kafka's: split on commas with the spaces around them, empty items kept ("a,,b" has three), a
 * blank value an empty list. `validList` adds the check of Kafka's `ValidList` that no item is
 * empty (it lets repeats through, as Kafka 4.4 does); `emptyAllowed: false` refuses an empty
 * list as `ValidList` and `NonEmptyListValidator` do. (`listValue` in config-values drops empty items instead.)
 */
export function kafkaListValue(options: { emptyAllowed: boolean; validList?: boolean }) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    const items = text === '' ? [] : text.split(/\s*,\s*/);
    const problem =
      !options.emptyAllowed && items.length === 0
        ? 'must not be empty'
        : options.validList === false
          ? undefined
          : items.includes('')
            ? 'values must not be empty'
            : undefined;
    if (problem === undefined) return items;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });
}
