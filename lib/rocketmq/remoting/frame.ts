/**
 * RocketMQ's remoting frame (the TCP protocol its name servers, brokers and admin tool speak):
 *
 *   | total length (4) | serialize type (1) + header length (3) | header | body |
 *
 * big-endian; `total length` counts everything after itself. The header is JSON (serialize
 * type 0): `{code, language, version, opaque, flag, remark, extFields}`. A request's `flag`
 * has bit 0 clear, a response's has it set; `opaque` pairs a response with its request.
 */

/** One request or response. `extFields` holds a request header's fields, as strings. */
export interface RemotingCommand {
  readonly code: number;
  readonly opaque: number;
  readonly flag: number;
  readonly language?: string;
  readonly version?: number;
  readonly remark?: string | null;
  readonly extFields?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

/** The flag bit that marks a response (RemotingCommand.RPC_TYPE). */
export const RESPONSE_FLAG = 1;

/** Serialize type 0: the header is JSON (1 would be RocketMQ's binary header, not spoken here). */
const JSON_SERIALIZE_TYPE = 0;

/** Frames larger than this are refused: a wrong length would otherwise buffer without end. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/** The bytes of one frame for a command (a JSON header). */
export function encodeFrame(command: RemotingCommand): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      code: command.code,
      language: command.language ?? 'OTHER',
      version: command.version ?? 0,
      opaque: command.opaque,
      flag: command.flag,
      remark: command.remark ?? null,
      extFields: command.extFields ?? {},
    }),
    'utf8',
  );
  const body = command.body ?? Buffer.alloc(0);
  const frame = Buffer.alloc(8 + header.length + body.length);
  frame.writeUInt32BE(4 + header.length + body.length, 0);
  frame.writeUInt32BE(((JSON_SERIALIZE_TYPE << 24) | header.length) >>> 0, 4);
  header.copy(frame, 8);
  body.copy(frame, 8 + header.length);
  return frame;
}

/**
 * Splits a byte stream into commands: TCP delivers frames in pieces and several at once, so
 * bytes are kept until a whole frame has arrived.
 */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  /** Adds received bytes; returns every command now complete, in order. */
  push(chunk: Buffer): RemotingCommand[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const commands: RemotingCommand[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (length < 4 || length > MAX_FRAME_BYTES) {
        throw new FrameError(`frame length ${length} is out of range (4 to ${MAX_FRAME_BYTES})`);
      }
      if (this.buffered.length < 4 + length) break;
      commands.push(decodeFrameContent(this.buffered.subarray(4, 4 + length)));
      this.buffered = this.buffered.subarray(4 + length);
    }
    return commands;
  }
}

/** A frame's content (what follows its total length). */
export function decodeFrameContent(content: Buffer): RemotingCommand {
  const mark = content.readUInt32BE(0);
  const serializeType = mark >>> 24;
  const headerLength = mark & 0xffffff;
  if (serializeType !== JSON_SERIALIZE_TYPE) {
    throw new FrameError(`header serialize type ${serializeType} is not JSON (0)`);
  }
  if (headerLength > content.length - 4) {
    throw new FrameError(
      `header length ${headerLength} exceeds the frame's ${content.length - 4} bytes`,
    );
  }
  const text = content.subarray(4, 4 + headerLength).toString('utf8');
  const header = parseHeader(text);
  const body = content.subarray(4 + headerLength);
  return { ...header, ...(body.length > 0 ? { body: Buffer.from(body) } : {}) };
}

function parseHeader(text: string): Omit<RemotingCommand, 'body'> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new FrameError(`header is not JSON: ${text.slice(0, 200)}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new FrameError('header is not an object');
  const h = raw as Record<string, unknown>;
  if (typeof h.code !== 'number' || typeof h.opaque !== 'number') {
    throw new FrameError(`header lacks a numeric code or opaque: ${text.slice(0, 200)}`);
  }
  const extFields: Record<string, string> = {};
  if (typeof h.extFields === 'object' && h.extFields !== null) {
    for (const [key, value] of Object.entries(h.extFields)) {
      if (value !== null && value !== undefined) extFields[key] = String(value);
    }
  }
  return {
    code: h.code,
    opaque: h.opaque,
    flag: typeof h.flag === 'number' ? h.flag : 0,
    ...(typeof h.language === 'string' ? { language: h.language } : {}),
    ...(typeof h.version === 'number' ? { version: h.version } : {}),
    remark: typeof h.remark === 'string' ? h.remark : null,
    extFields,
  };
}

/** True for a response (flag bit 0 set), false for a request from the other side. */
export function isResponse(command: RemotingCommand): boolean {
  return (command.flag & RESPONSE_FLAG) === RESPONSE_FLAG;
}
