import { S3Error } from '../../errors/S3Error.js';
import type { TargetKind } from './NotificationConfiguration.js';

/**
 * Every error PutBucketNotificationConfiguration answers for a configuration it refuses, with S3's codes and
 * words, in one place. Sources: S3's answers as recorded against AWS by LocalStack's AWS-validated snapshots
 * (unparsable ARN, unknown filter rule name, missing Name/Value, unreachable destinations), the duplicate-rule
 * and overlap messages S3 answers (also used verbatim by the AWS CDK and MinIO), and the unknown-event message.
 *
 * Checks that look at one element carry `ArgumentName` / `ArgumentValue`; the destination check lists every
 * destination it could not validate as `ArgumentName1`, `ArgumentValue1`, `ArgumentName2`… (numbered even when
 * there is one), as S3 does.
 */
function invalidArgument(message: string, details?: Readonly<Record<string, string>>): S3Error {
  return new S3Error('InvalidArgument', { message, details });
}

/** The XML element naming a destination of each kind: S3's `ArgumentName` for an unparsable ARN. */
export const ARN_ELEMENT: Readonly<Record<TargetKind, string>> = { topic: 'Topic', queue: 'Queue', function: 'CloudFunction' };

/** Why S3 could not validate a destination, as it words it for each kind (`ArgumentName{n}` / `ArgumentValue{n}`). */
function unreachable(kind: TargetKind, arn: string): readonly [name: string, value: string] {
  switch (kind) {
    case 'queue':
      return [arn, 'The destination queue does not exist'];
    case 'topic':
      return [arn, 'The destination topic does not exist'];
    case 'function':
      // S3 asks Lambda whether it may invoke the function; for one that does not exist it answers this
      return [`${arn}, null`, `Not authorized to invoke function [${arn}]`];
  }
}

export const notificationErrors = {
  malformed: (): S3Error => new S3Error('MalformedXML'),

  unparsableArn: (kind: TargetKind, arn: string): S3Error =>
    invalidArgument('The ARN could not be parsed', { ArgumentName: ARN_ELEMENT[kind], ArgumentValue: arn }),
  unknownEvent: (event: string): S3Error =>
    invalidArgument('The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: event }),
  filterRuleName: (name: string): S3Error =>
    invalidArgument('filter rule name must be either prefix or suffix', { ArgumentName: 'FilterRule.Name', ArgumentValue: name }),
  duplicatePrefix: (name: string): S3Error =>
    invalidArgument('Cannot specify more than one prefix rule in a filter.', { ArgumentName: 'FilterRule.Name', ArgumentValue: name }),
  duplicateSuffix: (name: string): S3Error =>
    invalidArgument('Cannot specify more than one suffix rule in a filter.', { ArgumentName: 'FilterRule.Name', ArgumentValue: name }),
  overlap: (): S3Error => invalidArgument('Configurations overlap. Configurations on the same bucket cannot share a common event type.'),
  unvalidatedDestinations: (destinations: ReadonlyArray<{ readonly kind: TargetKind; readonly arn: string }>): S3Error => {
    const details: Record<string, string> = {};
    destinations.forEach(({ kind, arn }, i) => {
      const [name, value] = unreachable(kind, arn);
      details[`ArgumentName${i + 1}`] = name;
      details[`ArgumentValue${i + 1}`] = value;
    });
    return invalidArgument('Unable to validate the following destination configurations', details);
  },
};
