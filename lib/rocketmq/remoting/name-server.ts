import { z } from 'zod';
import { parseBodyJson } from './body-json.js';
import type { RemotingClient } from './client.js';
import { RequestCode, ResponseCode } from './codes.js';
import { RemotingError } from './errors.js';

/** Broker id 0 is a broker group's master (MixAll.MASTER_ID); admin writes go to masters. */
export const MASTER_ID = '0';

const brokerDataSchema = z.object({
  cluster: z.string().optional(),
  brokerName: z.string(),
  brokerAddrs: z.record(z.string(), z.string()),
});

/** TopicRouteData: which broker groups hold the topic, with how many queues each. */
const topicRouteSchema = z.object({
  queueDatas: z.array(
    z.object({
      brokerName: z.string(),
      readQueueNums: z.number().int(),
      writeQueueNums: z.number().int(),
      perm: z.number().int(),
    }),
  ),
  brokerDatas: z.array(brokerDataSchema),
});

export type TopicRoute = z.infer<typeof topicRouteSchema>;

/** ClusterInfo: every broker group, and the groups of each cluster. */
const clusterInfoSchema = z.object({
  brokerAddrTable: z.record(z.string(), brokerDataSchema),
  clusterAddrTable: z.record(z.string(), z.array(z.string())),
});

export type ClusterInfo = z.infer<typeof clusterInfoSchema>;

const topicListSchema = z.object({ topicList: z.array(z.string()) });

/** A broker group's name and its master's `host:port`. */
export interface BrokerMaster {
  readonly brokerName: string;
  readonly address: string;
}

/** A topic's route; undefined when the name server knows no such topic. */
export async function topicRoute(
  client: RemotingClient,
  namesrv: string,
  topic: string,
): Promise<TopicRoute | undefined> {
  const response = await client.invoke(
    namesrv,
    `route of topic ${topic}`,
    {
      code: RequestCode.GET_ROUTEINFO_BY_TOPIC,
      // Standard JSON: without it, maps keyed by numbers come with bare keys.
      extFields: { topic, acceptStandardJsonOnly: 'true' },
    },
    [ResponseCode.SUCCESS, ResponseCode.TOPIC_NOT_EXIST],
  );
  if (response.code === ResponseCode.TOPIC_NOT_EXIST) return undefined;
  return parseBody(namesrv, 'route', topicRouteSchema, response.body);
}

export async function clusterInfo(client: RemotingClient, namesrv: string): Promise<ClusterInfo> {
  const response = await client.invoke(namesrv, 'cluster info', {
    code: RequestCode.GET_BROKER_CLUSTER_INFO,
  });
  return parseBody(namesrv, 'cluster info', clusterInfoSchema, response.body);
}

/** Every topic the name server knows, system topics included. */
export async function allTopics(client: RemotingClient, namesrv: string): Promise<string[]> {
  const response = await client.invoke(namesrv, 'topic list', {
    code: RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
  });
  return parseBody(namesrv, 'topic list', topicListSchema, response.body).topicList;
}

/** The masters of a cluster's broker groups (a group without a master is left out). */
export function clusterMasters(info: ClusterInfo, cluster: string): BrokerMaster[] {
  return (info.clusterAddrTable[cluster] ?? []).flatMap((brokerName) => {
    const address = info.brokerAddrTable[brokerName]?.brokerAddrs[MASTER_ID];
    return address === undefined ? [] : [{ brokerName, address }];
  });
}

/** A topic's queues: each broker group's master with the number of queues it reads. */
export function routeQueues(
  route: TopicRoute,
): { brokerName: string; address: string | undefined; queues: number }[] {
  return route.queueDatas.map((q) => ({
    brokerName: q.brokerName,
    address: route.brokerDatas.find((b) => b.brokerName === q.brokerName)?.brokerAddrs[MASTER_ID],
    queues: q.readQueueNums,
  }));
}

function parseBody<S extends z.ZodType>(
  address: string,
  what: string,
  schema: S,
  body: Buffer | undefined,
): z.infer<S> {
  let json: unknown;
  try {
    json = parseBodyJson(body);
  } catch (error) {
    throw new RemotingError(address, `the ${what} is not JSON`, { cause: error, retriable: false });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    throw new RemotingError(
      address,
      `the ${what} has an unexpected shape (${problem?.path.join('.') ?? ''}: ${problem?.message ?? ''})`,
      { retriable: false },
    );
  }
  return parsed.data;
}
