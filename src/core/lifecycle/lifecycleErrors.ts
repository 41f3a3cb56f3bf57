import { S3Error } from '../../errors/S3Error.js';

/**
 * Every error PutBucketLifecycleConfiguration answers for a configuration it refuses, with the code and words S3
 * uses, in one place (docs: the S3 error table and the Lifecycle API pages; S3's answers as recorded by LocalStack's
 * AWS-validated snapshots, s3-tests and users' reports — see validateLifecycle for the order of the checks).
 *
 * InvalidArgument errors carry `ArgumentName` and `ArgumentValue` as S3's do; a date's value is written the way S3
 * writes it (a Java date in US Pacific time, "Sat Dec 31 18:02:00 PST 2022").
 */
export const MAX_RULES = 1000;
export const MAX_ID_LENGTH = 255;
/** The largest size S3 accepts in an ObjectSize condition (its own error message gives it). */
export const MAX_OBJECT_SIZE_CONDITION = 1_099_511_627_776_000;

function invalidRequest(message: string): S3Error {
  return new S3Error('InvalidRequest', { message });
}

function invalidArgument(message: string, name: string, value: string): S3Error {
  return new S3Error('InvalidArgument', { message, details: { ArgumentName: name, ArgumentValue: value } });
}

const JAVA_DATE = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  weekday: 'short',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
  year: 'numeric',
});

/** `Sat Dec 31 18:02:00 PST 2022`: how S3 echoes a lifecycle date in an error. */
export function javaDateString(date: Date): string {
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    JAVA_DATE.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('month')} ${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName')} ${part('year')}`;
}

export const lifecycleErrors = {
  malformed: (): S3Error => new S3Error('MalformedXML'),

  // the configuration
  noRules: (): S3Error => invalidRequest('At least one lifecycle rule must be specified.'),
  tooManyRules: (): S3Error => invalidRequest(`The number of lifecycle rules must not exceed the allowed limit of ${MAX_RULES} rules.`),
  idTooLong: (id: string): S3Error => invalidArgument(`ID length should not exceed allowed limit of ${MAX_ID_LENGTH}`, 'ID', id),
  duplicateId: (id: string): S3Error =>
    invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id),
  filterInV1: (): S3Error => invalidRequest('Filter element can only be used in Lifecycle V2.'),
  prefixInV2: (): S3Error =>
    invalidRequest('Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.'),
  newerInV1: (): S3Error => invalidRequest('NewerNoncurrentVersions element can only be used in Lifecycle V2.'),
  overlappingPrefixes: (a: string, b: string, actionType: string): S3Error =>
    invalidRequest(`Found overlapping prefixes '${a}' and '${b}' for same action type '${actionType}'`),

  // a rule's filter
  duplicateTagKeys: (): S3Error => invalidRequest('Duplicate Tag Keys are not allowed.'),
  sizeGreaterThanRange: (): S3Error =>
    invalidRequest(`'ObjectSizeGreaterThan' should be between 0 and ${MAX_OBJECT_SIZE_CONDITION}.`),
  sizeLessThanRange: (): S3Error => invalidRequest(`'ObjectSizeLessThan' should be between 1 and ${MAX_OBJECT_SIZE_CONDITION}.`),
  sizeOrder: (): S3Error => invalidRequest("'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'."),

  // a rule's actions
  noAction: (): S3Error => invalidRequest('At least one action needs to be specified in a rule'),
  notPositive: (field: string, action: string, value: number): S3Error =>
    invalidArgument(`'${field}' for ${action} action must be a positive integer`, field, String(value)),
  negative: (field: string, action: string, value: number): S3Error =>
    invalidArgument(`'${field}' in ${action} action must be nonnegative`, field, String(value)),
  notMidnight: (date: Date): S3Error => invalidArgument("'Date' must be at midnight GMT", 'Date', javaDateString(date)),
  withTags: (action: string): S3Error => invalidRequest(`${action} cannot be specified with Tags.`),
  withObjectSize: (action: string): S3Error => invalidRequest(`${action} cannot be specified with Object Size.`),
  invalidTargetClass: (storageClass: string): S3Error =>
    invalidArgument('Invalid target Storage class for Transition action', 'StorageClass', storageClass),
  infrequentAccessDays: (field: string, action: string, storageClass: string, value: number): S3Error =>
    invalidArgument(
      `'${field}' in ${action} action must be greater than or equal to 30 for storageClass '${storageClass}'`,
      field,
      String(value),
    ),

  // transitions against each other and against the expiration
  duplicateClass: (action: string, filter: string): S3Error =>
    invalidRequest(`'StorageClass' must be different for '${action}' actions in same 'Rule' with filter '${filter}'`),
  mixedTransitions: (filter: string): S3Error =>
    invalidRequest(`Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule for filter '${filter}'`),
  mixedExpiration: (filter: string): S3Error =>
    invalidRequest(`Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule for filter '${filter}'`),
  transitionOrder: (when: When, action: string, cold: string, warm: string, filter: string): S3Error =>
    whenArgument(
      when,
      `'${when.field}' in the '${action}' action for StorageClass '${cold}' for filter '${filter}' must be greater than ` +
        `'${when.field}' in the '${action}' action for StorageClass '${warm}' for filter '${filter}'`,
    ),
  transitionGap: (when: When, action: string, cold: string, warm: string, minimum: number, filter: string): S3Error =>
    whenArgument(
      when,
      `'${when.field}' in the '${action}' action for StorageClass '${cold}' for filter '${filter}' must be ${minimum} days more than ` +
        `'filter '${filter}'' in the '${action}' action for StorageClass '${warm}'`,
    ),
  expirationNotAfterTransition: (when: When, action: string, transitionAction: string, filter: string): S3Error =>
    whenArgument(
      when,
      `'${when.field}' in the ${action} action for filter '${filter}' must be greater than '${when.field}' in the ${transitionAction} action`,
    ),
};

/** The value an ordering error names: a day count (`Days`, `NoncurrentDays`) or a `Date`. */
export type When = { readonly field: string; readonly days: number } | { readonly field: 'Date'; readonly date: Date };

function whenArgument(when: When, message: string): S3Error {
  return 'date' in when ? invalidArgument(message, 'Date', javaDateString(when.date)) : invalidArgument(message, when.field, String(when.days));
}
