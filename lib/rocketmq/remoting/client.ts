import { ResponseCode } from './codes.js';
import { RemotingConnection, type ConnectionOptions, type RemotingRequest } from './connection.js';
import { RemotingResponseError } from './errors.js';
import type { RemotingCommand } from './frame.js';

/**
 * Connections to name servers and brokers, one per address, kept for the next call (a warm
 * Lambda container reuses them) and opened again when one broke (a frozen container's socket,
 * a broker's idle timeout).
 */
export class RemotingClient {
  private readonly connections = new Map<string, Promise<RemotingConnection>>();

  constructor(private readonly options: ConnectionOptions = {}) {}

  /**
   * Sends a request to `address` and returns its response when its code is one of `accept`
   * (SUCCESS by default); otherwise throws RemotingResponseError saying `what` was refused.
   */
  async invoke(
    address: string,
    what: string,
    request: RemotingRequest,
    accept: readonly number[] = [ResponseCode.SUCCESS],
  ): Promise<RemotingCommand> {
    const connection = await this.connectionTo(address);
    const response = await connection.request(request);
    if (!accept.includes(response.code)) {
      throw new RemotingResponseError(address, what, response.code, response.remark);
    }
    return response;
  }

  /** Closes every connection (SIGTERM, the end of a test). */
  close(): void {
    for (const connection of this.connections.values()) {
      connection.then(
        (c) => c.close(),
        () => undefined,
      );
    }
    this.connections.clear();
  }

  private async connectionTo(address: string): Promise<RemotingConnection> {
    const cached = this.connections.get(address);
    if (cached) {
      const connection = await cached.catch(() => undefined);
      if (connection && !connection.closed) return connection;
      if (this.connections.get(address) === cached) this.connections.delete(address);
    }
    const opening = RemotingConnection.open(address, this.options);
    this.connections.set(address, opening);
    try {
      return await opening;
    } catch (error) {
      if (this.connections.get(address) === opening) this.connections.delete(address);
      throw error;
    }
  }
}
