import type { NotificationConfiguration } from '../../../src/core/notifications/NotificationConfiguration.js';
import { validateNotification, type ValidateNotificationOptions } from '../../../src/core/notifications/validateNotification.js';
import { parseNotificationConfiguration } from '../../../src/s3/xml/shapes/NotificationConfiguration.js';

export const QUEUE = 'arn:aws:sqs:us-east-1:111111111111:q';
export const QUEUE_2 = 'arn:aws:sqs:us-east-1:111111111111:q2';
export const TOPIC = 'arn:aws:sns:us-east-1:111111111111:t';
export const FUNCTION = 'arn:aws:lambda:us-east-1:111111111111:function:f';

/** A NotificationConfiguration document holding the given configuration elements. */
export function doc(...configurations: string[]): string {
  return `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${configurations.join('')}</NotificationConfiguration>`;
}

export interface TargetSpec {
  readonly id?: string;
  readonly arn?: string;
  readonly events?: readonly string[];
  /** [name, value] pairs of `<FilterRule>`s. */
  readonly rules?: ReadonlyArray<readonly [string, string]>;
}

function target(element: string, arnElement: string, defaultArn: string, spec: TargetSpec): string {
  const rules = spec.rules ?? [];
  const filter = rules.length === 0
    ? ''
    : `<Filter><S3Key>${rules.map(([n, v]) => `<FilterRule><Name>${n}</Name><Value>${v}</Value></FilterRule>`).join('')}</S3Key></Filter>`;
  const events = (spec.events ?? ['s3:ObjectCreated:*']).map((e) => `<Event>${e}</Event>`).join('');
  return `<${element}>${spec.id === undefined ? '' : `<Id>${spec.id}</Id>`}<${arnElement}>${spec.arn ?? defaultArn}</${arnElement}>${events}${filter}</${element}>`;
}

export const queue = (spec: TargetSpec = {}): string => target('QueueConfiguration', 'Queue', QUEUE, spec);
export const topic = (spec: TargetSpec = {}): string => target('TopicConfiguration', 'Topic', TOPIC, spec);
export const fn = (spec: TargetSpec = {}): string => target('CloudFunctionConfiguration', 'CloudFunction', FUNCTION, spec);

/** Parse and validate a document, as PutBucketNotificationConfiguration will; generated IDs are `generated-1`, `-2`… */
export function configure(body: string, options: ValidateNotificationOptions = {}): NotificationConfiguration {
  let n = 0;
  return validateNotification(parseNotificationConfiguration(body), { newConfigurationId: () => `generated-${++n}`, ...options });
}

export { expectS3Error, MALFORMED, type ExpectedError } from '../../support/expectS3Error.js';
