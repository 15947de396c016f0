/**
 * The request and response codes this client uses, as RocketMQ 5.3 defines them
 * (org.apache.rocketmq.remoting.protocol.RequestCode / ResponseCode).
 */
export const RequestCode = {
  PULL_MESSAGE: 11,
  QUERY_CONSUMER_OFFSET: 14,
  UPDATE_CONSUMER_OFFSET: 15,
  UPDATE_AND_CREATE_TOPIC: 17,
  GET_MAX_OFFSET: 30,
  GET_MIN_OFFSET: 31,
  GET_ROUTEINFO_BY_TOPIC: 105,
  GET_BROKER_CLUSTER_INFO: 106,
  UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: 200,
  GET_ALL_TOPIC_LIST_FROM_NAMESERVER: 206,
  /** The admin's reset: the broker assigns the offset itself, which pop consumers honour. */
  INVOKE_BROKER_TO_RESET_OFFSET: 222,
  /** A batch of messages with a SendMessageRequestHeaderV2 (one-letter fields). */
  SEND_BATCH_MESSAGE: 320,
  GET_TOPIC_CONFIG: 351,
} as const;

export const ResponseCode = {
  SUCCESS: 0,
  SYSTEM_ERROR: 1,
  SYSTEM_BUSY: 2,
  REQUEST_CODE_NOT_SUPPORTED: 3,
  FLUSH_DISK_TIMEOUT: 10,
  SLAVE_NOT_AVAILABLE: 11,
  FLUSH_SLAVE_TIMEOUT: 12,
  SERVICE_NOT_AVAILABLE: 14,
  NO_PERMISSION: 16,
  TOPIC_NOT_EXIST: 17,
  PULL_NOT_FOUND: 19,
  PULL_RETRY_IMMEDIATELY: 20,
  PULL_OFFSET_MOVED: 21,
  QUERY_NOT_FOUND: 22,
  SUBSCRIPTION_GROUP_NOT_EXIST: 26,
  INVALID_PARAMETER: 29,
  FLOW_CONTROL: 215,
} as const;
