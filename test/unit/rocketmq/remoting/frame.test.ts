import { describe, expect, test } from 'vitest';
import {
  encodeFrame,
  FrameDecoder,
  FrameError,
  isResponse,
  MAX_FRAME_BYTES,
} from '../../../../lib/rocketmq/remoting/frame.js';

/** A frame built by hand from the documented layout: total length, type+header length, header, body. */
function handFrame(header: object, body = Buffer.alloc(0), serializeType = 0): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32BE(4 + json.length + body.length, 0);
  prefix.writeUInt8(serializeType, 4);
  prefix.writeUIntBE(json.length, 5, 3);
  return Buffer.concat([prefix, json, body]);
}

describe('encoding a request', () => {
  test('writes the total length, the JSON type with the header length, the header and the body', () => {
    const frame = encodeFrame({
      code: 17,
      opaque: 7,
      flag: 0,
      extFields: { topic: 'orders' },
      body: Buffer.from('xyz'),
    });
    const headerLength = frame.readUInt32BE(4) & 0xffffff;
    expect(frame.readUInt8(4)).toBe(0);
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    const header = JSON.parse(frame.subarray(8, 8 + headerLength).toString()) as object;
    expect(header).toMatchObject({ code: 17, opaque: 7, flag: 0, extFields: { topic: 'orders' } });
    expect(frame.subarray(8 + headerLength).toString()).toBe('xyz');
  });

  test('round-trips through the decoder', () => {
    const decoded = new FrameDecoder().push(
      encodeFrame({ code: 14, opaque: 3, flag: 1, remark: 'ok', extFields: { offset: '42' } }),
    );
    expect(decoded).toEqual([
      expect.objectContaining({
        code: 14,
        opaque: 3,
        flag: 1,
        remark: 'ok',
        extFields: { offset: '42' },
      }),
    ]);
  });
});

describe('decoding a byte stream', () => {
  const response = handFrame(
    {
      code: 0,
      opaque: 9,
      flag: 1,
      language: 'JAVA',
      version: 479,
      remark: null,
      extFields: { offset: 5 },
    },
    Buffer.from('{"a":1}'),
  );

  test('reads a response with its header fields as strings and its body', () => {
    const [command] = new FrameDecoder().push(response);
    expect(command).toMatchObject({ code: 0, opaque: 9, language: 'JAVA', version: 479 });
    expect(command?.extFields).toEqual({ offset: '5' });
    expect(command?.body?.toString()).toBe('{"a":1}');
    expect(isResponse(command!)).toBe(true);
  });

  test('waits for a frame that arrives in pieces, byte by byte', () => {
    const decoder = new FrameDecoder();
    const seen = [];
    for (const byte of response) seen.push(...decoder.push(Buffer.from([byte])));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.opaque).toBe(9);
  });

  test('splits several frames that arrive in one chunk, keeping the rest for later', () => {
    const second = handFrame({ code: 0, opaque: 10, flag: 1 });
    const decoder = new FrameDecoder();
    const chunk = Buffer.concat([response, second, second.subarray(0, 6)]);
    expect(decoder.push(chunk).map((c) => c.opaque)).toEqual([9, 10]);
    expect(decoder.push(second.subarray(6)).map((c) => c.opaque)).toEqual([10]);
  });

  test('tells a request from the other side (flag bit 0 clear) from a response', () => {
    const [request] = new FrameDecoder().push(handFrame({ code: 40, opaque: 1, flag: 0 }));
    expect(isResponse(request!)).toBe(false);
  });

  test.each([
    [
      'a header in RocketMQ binary form',
      handFrame({ code: 0, opaque: 1 }, Buffer.alloc(0), 1),
      /serialize type 1/,
    ],
    [
      'a header that is not JSON',
      (() => {
        const f = handFrame({ code: 0, opaque: 1 });
        f.write('!', 8);
        return f;
      })(),
      /not JSON/,
    ],
    ['a header without a code', handFrame({ opaque: 1 }), /numeric code/],
    [
      'a length past the limit',
      (() => {
        const f = Buffer.alloc(8);
        f.writeUInt32BE(MAX_FRAME_BYTES + 1, 0);
        return f;
      })(),
      /out of range/,
    ],
  ])('refuses %s', (_, frame, message) => {
    expect(() => new FrameDecoder().push(frame)).toThrow(FrameError);
    expect(() => new FrameDecoder().push(frame)).toThrow(message);
  });
});
