import type {
  AttributeValue as StreamAttributeValue,
  _Record,
} from '@aws-sdk/client-dynamodb-streams';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord } from 'aws-lambda';

/** A shard of a table's stream; a child shard is read only after its parent is finished. */
export interface StreamShard {
  readonly id: string;
  readonly parentId?: string;
}

/** Where to start reading a shard: its oldest record, or after a checkpoint. */
export type ShardPosition = { readonly after: string } | 'oldest';

export interface RecordPage {
  /** Records as a Lambda event carries them. */
  readonly records: DynamoDBRecord[];
  /** Undefined once a closed shard has been read to its end. */
  readonly next?: string;
}

/** The reading side of a table's stream (DynamoDB Streams' API, or a stand-in in tests). */
export interface StreamSource {
  readonly streamArn: string;
  shards(): Promise<StreamShard[]>;
  iterator(shardId: string, from: ShardPosition): Promise<string>;
  read(iterator: string, limit: number): Promise<RecordPage>;
}

/** DynamoDB Streams (or DynamoDB Local's), read through the SDK. */
export class DynamoStreamSource implements StreamSource {
  constructor(
    private readonly client: DynamoDBStreamsClient,
    readonly streamArn: string,
  ) {}

  async shards(): Promise<StreamShard[]> {
    const shards: StreamShard[] = [];
    let start: string | undefined;
    do {
      const page = await this.client.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of page.StreamDescription?.Shards ?? []) {
        if (shard.ShardId === undefined) continue;
        shards.push({
          id: shard.ShardId,
          ...(shard.ParentShardId === undefined ? {} : { parentId: shard.ParentShardId }),
        });
      }
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    return shards;
  }

  async iterator(shardId: string, from: ShardPosition): Promise<string> {
    const answer = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ...(from === 'oldest'
          ? { ShardIteratorType: 'TRIM_HORIZON' }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: from.after }),
      }),
    );
    if (answer.ShardIterator === undefined) {
      throw new Error(`no iterator for shard ${shardId} of ${this.streamArn}`);
    }
    return answer.ShardIterator;
  }

  async read(iterator: string, limit: number): Promise<RecordPage> {
    const page = await this.client.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }),
    );
    return {
      records: (page.Records ?? []).map((r) => lambdaRecordOf(r, this.streamArn)),
      ...(page.NextShardIterator === undefined ? {} : { next: page.NextShardIterator }),
    };
  }
}

/**
 * A stream record as Lambda hands it to a function: the same fields, with the creation time
 * in epoch seconds (the SDK gives a Date) and the stream's ARN as the event source.
 */
export function lambdaRecordOf(record: _Record, streamArn: string): DynamoDBRecord {
  const stream = record.dynamodb;
  const image = (value: Record<string, StreamAttributeValue> | undefined) =>
    value as Record<string, LambdaAttributeValue> | undefined;
  return {
    ...(record.eventID === undefined ? {} : { eventID: record.eventID }),
    ...(record.eventName === undefined ? {} : { eventName: record.eventName }),
    ...(record.eventVersion === undefined ? {} : { eventVersion: record.eventVersion }),
    eventSource: record.eventSource ?? 'aws:dynamodb',
    ...(record.awsRegion === undefined ? {} : { awsRegion: record.awsRegion }),
    eventSourceARN: streamArn,
    ...(stream && {
      dynamodb: {
        ...(stream.ApproximateCreationDateTime && {
          ApproximateCreationDateTime: Math.floor(
            stream.ApproximateCreationDateTime.getTime() / 1000,
          ),
        }),
        ...(stream.Keys && { Keys: image(stream.Keys) }),
        ...(stream.NewImage && { NewImage: image(stream.NewImage) }),
        ...(stream.OldImage && { OldImage: image(stream.OldImage) }),
        ...(stream.SequenceNumber === undefined ? {} : { SequenceNumber: stream.SequenceNumber }),
        ...(stream.SizeBytes === undefined ? {} : { SizeBytes: stream.SizeBytes }),
        ...(stream.StreamViewType === undefined ? {} : { StreamViewType: stream.StreamViewType }),
      },
    }),
  };
}
