/**
 * A notification configuration as a document gives it, before validateNotification checks it: every destination
 * configuration with its elements as written (event names and filter rule names unchecked, in document order). The
 * XML shape (s3/xml/shapes/NotificationConfiguration.ts) builds one; so could any other way in (a JSON admin API, a
 * test). An empty draft (no configurations, no EventBridge) removes every notification of the bucket.
 */
export interface NotificationDraft {
  readonly topics: readonly TargetDraft[];
  readonly queues: readonly TargetDraft[];
  readonly functions: readonly TargetDraft[];
  /** `<EventBridgeConfiguration/>` was present. */
  readonly eventBridge: boolean;
}

/** A `<TopicConfiguration>`, `<QueueConfiguration>` or `<CloudFunctionConfiguration>`. */
export interface TargetDraft {
  /** undefined or '' when the client sent none: one is generated. */
  readonly id?: string;
  /** The destination's ARN (`<Topic>`, `<Queue>` or `<CloudFunction>`), as written. */
  readonly arn: string;
  /** Every `<Event>`, in document order (at least one: the schema requires it). */
  readonly events: readonly string[];
  /** Every `<FilterRule>` of `<Filter><S3Key>`, in document order; [] without a filter. */
  readonly filterRules: readonly FilterRuleDraft[];
}

export interface FilterRuleDraft {
  /** As written: S3 accepts `prefix` and `suffix` in any letter case. */
  readonly name: string;
  readonly value: string;
}
