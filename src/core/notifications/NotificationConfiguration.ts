/**
 * A bucket's notification configuration as Tessera keeps it once validated (validateNotification): every
 * destination configuration has an ID, known event names and at most one prefix and one suffix rule, no two
 * configurations can fire for the same event on the same key, and each destination resolved to a registered
 * target when it was saved. Configurations stay in the order given; GetBucketNotificationConfiguration answers
 * them as they were sent (filter rule names written `Prefix` / `Suffix`, as S3 normalises them).
 */
export interface NotificationConfiguration {
  /** `<QueueConfiguration>`s: SQS-style destinations. */
  readonly queues: readonly NotificationTarget[];
  /** `<TopicConfiguration>`s: SNS-style destinations. */
  readonly topics: readonly NotificationTarget[];
  /** `<CloudFunctionConfiguration>`s: Lambda-style destinations. */
  readonly functions: readonly NotificationTarget[];
  /** `<EventBridgeConfiguration/>` was sent: accepted and kept (answered back), delivers nothing by itself. */
  readonly eventBridge: boolean;
}

export type TargetKind = 'queue' | 'topic' | 'function';

export interface NotificationTarget {
  /** Given, or generated when the client sent none. */
  readonly id: string;
  readonly arn: string;
  /** As given (e.g. `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`), every one a known event name. */
  readonly events: readonly string[];
  readonly filter: KeyFilter;
}

/**
 * `<Filter><S3Key>`: a key matches when it starts with `prefix` and ends with `suffix` (each when present; a rule
 * with an empty value is kept and matches every key). Both are compared with the key as the event message writes
 * it (URL-encoded, eventKey.ts), as S3 documents: a space in a filter value is written `+`.
 */
export interface KeyFilter {
  readonly prefix?: string;
  readonly suffix?: string;
}

/** A configuration with no destination and no EventBridge: what a bucket has until one is put. */
export const EMPTY_NOTIFICATION_CONFIGURATION: NotificationConfiguration = {
  queues: [],
  topics: [],
  functions: [],
  eventBridge: false,
};

/** Every destination configuration with its kind, in the order S3 writes them: topics, queues, functions. */
export function targetsOf(config: NotificationConfiguration): ReadonlyArray<{ readonly kind: TargetKind; readonly target: NotificationTarget }> {
  return [
    ...config.topics.map((target) => ({ kind: 'topic' as const, target })),
    ...config.queues.map((target) => ({ kind: 'queue' as const, target })),
    ...config.functions.map((target) => ({ kind: 'function' as const, target })),
  ];
}

/** True when the configuration sends nothing anywhere (an empty `<NotificationConfiguration/>` was put). */
export function isEmptyNotificationConfiguration(config: NotificationConfiguration): boolean {
  return config.queues.length === 0 && config.topics.length === 0 && config.functions.length === 0 && !config.eventBridge;
}
