import net from 'node:net';
import { encodeFrame, FrameDecoder, isResponse, type RemotingCommand } from './frame.js';
import { RemotingError } from './errors.js';

export interface ConnectionOptions {
  /** Gives up connecting after this long. */
  readonly connectTimeoutMs?: number;
  /** Gives up on a request after this long (unless the call says otherwise). */
  readonly requestTimeoutMs?: number;
}

/** A request as the caller writes it: the code, the header's fields, a body. */
export interface RemotingRequest {
  readonly code: number;
  readonly extFields?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly timeoutMs?: number;
}

interface Pending {
  readonly resolve: (response: RemotingCommand) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

// The version a 5.3.3 client sends (MQVersion.Version.V5_3_3's ordinal); brokers compare it
// only against older versions, to keep compatibility with old clients.
const CLIENT_VERSION = 479;

/**
 * One TCP connection to a name server or a broker. Requests go out at once; each response
 * is matched to its request by `opaque`, so many may be in flight. A request that gets no
 * answer in time fails naming the address; a connection that breaks fails every pending
 * request, and is not used again (`closed`).
 */
export class RemotingConnection {
  private readonly pending = new Map<number, Pending>();
  private readonly decoder = new FrameDecoder();
  private nextOpaque = 1;
  private failure: Error | undefined;

  private constructor(
    readonly address: string,
    private readonly socket: net.Socket,
    private readonly requestTimeoutMs: number,
  ) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) =>
      this.fail(
        new RemotingError(address, `connection failed: ${error.message}`, { cause: error }),
      ),
    );
    socket.on('close', () => this.fail(new RemotingError(address, 'connection closed')));
  }

  /** Connects to `host:port`; fails naming the address when it cannot. */
  static open(address: string, options: ConnectionOptions = {}): Promise<RemotingConnection> {
    const { host, port } = splitAddress(address);
    const connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RemotingError(address, `no connection after ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new RemotingError(address, `cannot connect: ${error.message}`, { cause: error }));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        // An idle connection must not keep a script or test process alive; a request in
        // flight does, through its timer.
        socket.unref();
        resolve(new RemotingConnection(address, socket, options.requestTimeoutMs ?? 5_000));
      });
    });
  }

  /** Whether this connection can no longer carry requests. */
  get closed(): boolean {
    return this.failure !== undefined || this.socket.destroyed;
  }

  /** Sends a request and resolves with its response, whatever its code. */
  request(request: RemotingRequest): Promise<RemotingCommand> {
    if (this.failure) return Promise.reject(this.failure);
    const opaque = this.nextOpaque++;
    const timeoutMs = request.timeoutMs ?? this.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(opaque);
        reject(
          new RemotingError(
            this.address,
            `no answer to request ${request.code} in ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.set(opaque, { resolve, reject, timer });
      this.socket.write(
        encodeFrame({
          code: request.code,
          opaque,
          flag: 0,
          version: CLIENT_VERSION,
          ...(request.extFields ? { extFields: request.extFields } : {}),
          ...(request.body ? { body: request.body } : {}),
        }),
      );
    });
  }

  /** Closes the connection; pending requests fail. */
  close(): void {
    this.fail(new RemotingError(this.address, 'connection closed by this client'));
  }

  private onData(chunk: Buffer): void {
    let commands: RemotingCommand[];
    try {
      commands = this.decoder.push(chunk);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.fail(new RemotingError(this.address, `unreadable answer: ${reason}`, { cause: error }));
      return;
    }
    for (const command of commands) {
      // Requests from the server (notifications to consumers) do not concern an admin client.
      if (!isResponse(command)) continue;
      const waiting = this.pending.get(command.opaque);
      if (!waiting) continue; // answered after its timeout
      this.pending.delete(command.opaque);
      clearTimeout(waiting.timer);
      waiting.resolve(command);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const [opaque, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
      this.pending.delete(opaque);
    }
    if (!this.socket.destroyed) this.socket.destroy();
  }
}

/** `host:port` split; IPv6 hosts may come in brackets. */
export function splitAddress(address: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address.trim());
  const port = Number(match?.[2]);
  if (!match || !(port > 0 && port < 65536)) {
    throw new RemotingError(address, 'not a host:port address');
  }
  return { host: match[1]!, port };
}
