/**
 * A plugin's shortest name: the last segment of its class name or alias, without the kind's
 * suffix (`Connector`, `Converter`) when it has more than the suffix. The registry answers to
 * it (`FileStreamSource`), and the console shows it.
 *
 * @example shortName('org.apache.kafka.connect.file.FileStreamSourceConnector', 'Connector') // 'FileStreamSource'
 */
export function shortName(name: string, suffix?: string): string {
  const last = name.slice(name.lastIndexOf('.') + 1);
  return suffix && last.length > suffix.length && last.endsWith(suffix)
    ? last.slice(0, -suffix.length)
    : last;
}
