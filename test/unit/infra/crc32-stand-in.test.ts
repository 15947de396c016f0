/**
 * The function bundles check RocketMQ message bodies with Node's zlib.crc32 in place of the
 * native @node-rs/crc32 (infra/aws/esbuild-plugins.cjs): both must give the same checksum, or
 * every received message would fail its body check.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { crc32 as nativeCrc32 } from '@node-rs/crc32';
import { describe, expect, it } from 'vitest';

const standIn = createRequire(import.meta.url)('../../../infra/aws/stand-ins/crc32.cjs') as {
  crc32(input: Uint8Array | string, initialState?: number): number;
  crc32c(input: Uint8Array | string): number;
};

describe("the bundles' CRC-32", () => {
  it('is the standard CRC-32 (its check value)', () => {
    expect(standIn.crc32('123456789')).toBe(0xcbf43926);
  });

  it.each([
    ['nothing', Buffer.alloc(0)],
    ['one byte', Buffer.from([0xff])],
    ['a UTF-8 string', 'línea 1 ✓'],
    ['a message body', randomBytes(4096)],
    ['a large body', randomBytes(1024 * 1024 + 7)],
  ])('gives what @node-rs/crc32 gives for %s', (_, input) => {
    expect(standIn.crc32(input)).toBe(nativeCrc32(input));
  });

  it('continues from an initial state as @node-rs/crc32 does', () => {
    const [head, tail] = [randomBytes(100), randomBytes(200)];
    expect(standIn.crc32(tail, standIn.crc32(head))).toBe(nativeCrc32(tail, nativeCrc32(head)));
    expect(standIn.crc32(tail, standIn.crc32(head))).toBe(
      standIn.crc32(Buffer.concat([head, tail])),
    );
  });

  it('names itself when asked for CRC-32C, which the client never uses', () => {
    expect(() => standIn.crc32c('x')).toThrow(/crc32c is not in this bundle/);
  });
});
