import { StatusChecker, type MessageView, type SimpleConsumer } from 'rocketmq-client-nodejs';
// The generated protobuf modules are CommonJS whose names Node cannot see from ESM: default imports.
import definitionPb from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb.js';
import servicePb from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/service_pb.js';
import type { AckOutcome } from '../runtime/messaging.js';
import { classifyClientError } from './client-errors.js';

const { Code, Resource } = definitionPb;
const { AckMessageRequest } = servicePb;

/**
 * Receipt handles in one AckMessage request at most: the messages of one flush go in a few
 * requests, and one request stays well under gRPC's message size (a handle is ~200 bytes).
 */
export const MAX_ACK_ENTRIES = 256;

/** The client's request timeout (its default): how long one ack request may take. */
const ACK_TIMEOUT_MS = 3_000;

/**
 * Acks many received messages in few requests. The client's `SimpleConsumer.ack` sends one
 * AckMessage per message, yet the request carries repeated entries (receipt handles of one
 * topic and group) and the proxy answers each entry with its own status. So the messages are
 * grouped by topic and broker endpoints, and each group is sent with the client's own request
 * classes through its `ackMessageViaRpc` (its RPC manager, with its metadata and signing).
 *
 * Every entry's status is checked, unlike the client's own `ack` (which only looks at the
 * response's status): an entry the proxy refused, such as a receipt handle whose invisible time
 * is over (INVALID_RECEIPT_HANDLE), is that message's failure, so that the caller knows it will
 * be delivered again. A request that fails as a whole fails each of its messages.
 */
export async function ackBatch(
  consumer: SimpleConsumer,
  messages: readonly MessageView[],
): Promise<AckOutcome[]> {
  const outcomes: AckOutcome[] = Array.from({ length: messages.length });
  const requests = [...groupsOf(messages).values()].flatMap((indexes) => chunks(indexes));
  await Promise.all(
    requests.map(async (indexes) => {
      const first = messages[indexes[0] as number] as MessageView;
      const request = new AckMessageRequest()
        .setGroup(new Resource().setName(consumer.getConsumerGroup()))
        .setTopic(new Resource().setName(first.topic));
      for (const i of indexes) {
        const m = messages[i] as MessageView;
        request.addEntries().setMessageId(m.messageId).setReceiptHandle(m.receiptHandle);
      }
      try {
        const response = await consumer.ackMessageViaRpc(first.endpoints, request, ACK_TIMEOUT_MS);
        StatusChecker.check(response.getStatus()?.toObject());
        // The proxy answers entry by entry, in order; should it not, by message id (a message
        // the producer sent twice has one id, at two offsets: it is acked twice either way).
        const entries = response.getEntriesList();
        const byId = new Map(entries.map((e) => [e.getMessageId(), e]));
        indexes.forEach((i, k) => {
          const id = (messages[i] as MessageView).messageId;
          const entry = entries.length === indexes.length ? entries[k] : byId.get(id);
          outcomes[i] = entryOutcome(entry?.getStatus()?.toObject());
        });
      } catch (error) {
        const failure = classifyClientError(
          error instanceof Error ? error : new Error(String(error)),
        );
        for (const i of indexes) outcomes[i] = { ok: false, error: failure };
      }
    }),
  );
  return outcomes;
}

/** An entry's status as its message's outcome; an entry the proxy left out is not acked. */
function entryOutcome(
  status: { code: definitionPb.Code; message: string } | undefined,
): AckOutcome {
  if (status === undefined) {
    return { ok: false, error: new Error('the proxy did not answer for this message') };
  }
  if (status.code === Code.OK) return { ok: true };
  try {
    StatusChecker.check(status);
    return { ok: false, error: new Error(`ack answered ${status.code}: ${status.message}`) };
  } catch (error) {
    return { ok: false, error: classifyClientError(error as Error) };
  }
}

/** Indexes of the messages by topic and endpoints: one ack request may hold only one topic. */
function groupsOf(messages: readonly MessageView[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  messages.forEach((m, i) => {
    const key = `${m.topic}\n${m.endpoints.facade}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

function chunks(indexes: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < indexes.length; i += MAX_ACK_ENTRIES) {
    out.push(indexes.slice(i, i + MAX_ACK_ENTRIES));
  }
  return out;
}
