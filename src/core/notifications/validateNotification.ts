import { randomUUID } from 'node:crypto';
import type { FilterRuleDraft, NotificationDraft, TargetDraft } from './NotificationDraft.js';
import { targetsOf, type KeyFilter, type NotificationConfiguration, type NotificationTarget, type TargetKind } from './NotificationConfiguration.js';
import { eventsIntersect, isKnownEvent } from './eventNames.js';
import { notificationErrors } from './notificationErrors.js';

export interface ValidateNotificationOptions {
  /**
   * Whether an ARN names a registered target of Tessera (a queue, topic or function destination). Called once per
   * destination configuration, after every other check passed; each ARN it refuses is listed in the
   * "Unable to validate the following destination configurations" error. Default: every ARN resolves (S3's
   * `x-amz-skip-destination-validation: true`).
   */
  readonly resolveTarget?: (arn: string, kind: TargetKind) => boolean;
  /** Makes the ID of a configuration sent without one. Default: as S3 does, base64 of a random UUID (48 characters). */
  readonly newConfigurationId?: () => string;
}

export function defaultConfigurationId(): string {
  return Buffer.from(randomUUID()).toString('base64');
}

/** The service an ARN of each kind must name (`arn:<partition>:<service>:…`), as S3 checks before anything else. */
const ARN_SERVICE: Readonly<Record<TargetKind, string>> = { topic: 'sns', queue: 'sqs', function: 'lambda' };

/**
 * Check a configuration as PutBucketNotificationConfiguration does, and return it as Tessera keeps it. A
 * configuration S3 would refuse throws the S3Error S3 answers for its first fault (every message is in
 * notificationErrors.ts). S3 checks the form of the whole document before it contacts any destination:
 * 1. each destination configuration, topics then queues then functions, each in document order:
 *    a. its ARN must parse as one of the right service (`arn:<partition>:sqs:` for a queue, `:sns:` for a topic,
 *       `:lambda:` for a function): InvalidArgument "The ARN could not be parsed";
 *    b. each event must be one S3 publishes (eventNames.ts; case-sensitive): InvalidArgument;
 *    c. each filter rule's name must be `prefix` or `suffix` in any letter case (stored as `Prefix` / `Suffix`), and
 *       each may appear once: InvalidArgument;
 * 2. no two configurations (whatever their destination kind) may share an event type (equal names, or a wildcard
 *    and a name of its family) for keys both filters could match: two filters overlap when one prefix starts with
 *    the other and one suffix ends with the other (a missing rule is the empty string, which every value starts
 *    and ends with). InvalidArgument "Configurations overlap. Configurations on the same bucket cannot share a
 *    common event type.";
 * 3. each destination must resolve (options.resolveTarget): every one that does not is listed in one
 *    InvalidArgument "Unable to validate the following destination configurations".
 * Configurations sent without an ID (or with an empty one) get a generated one no other configuration has. An
 * empty draft is valid: it removes every notification.
 */
export function validateNotification(draft: NotificationDraft, options: ValidateNotificationOptions = {}): NotificationConfiguration {
  const given = new Set<string>();
  for (const target of [...draft.topics, ...draft.queues, ...draft.functions]) if (target.id) given.add(target.id);
  const newId = options.newConfigurationId ?? defaultConfigurationId;
  const check = (kind: TargetKind) => (target: TargetDraft): NotificationTarget => {
    const checked = checkTarget(kind, target);
    if (checked.id !== '') return checked;
    let id = newId();
    while (given.has(id)) id = newId();
    given.add(id);
    return { ...checked, id };
  };
  const config: NotificationConfiguration = {
    topics: draft.topics.map(check('topic')),
    queues: draft.queues.map(check('queue')),
    functions: draft.functions.map(check('function')),
    eventBridge: draft.eventBridge,
  };
  checkOverlaps(config);
  const resolveTarget = options.resolveTarget;
  if (resolveTarget !== undefined) {
    const unresolved = targetsOf(config)
      .filter(({ kind, target }) => !resolveTarget(target.arn, kind))
      .map(({ kind, target }) => ({ kind, arn: target.arn }));
    if (unresolved.length > 0) throw notificationErrors.unvalidatedDestinations(unresolved);
  }
  return config;
}

function checkTarget(kind: TargetKind, target: TargetDraft): NotificationTarget {
  if (!arnParses(target.arn, ARN_SERVICE[kind])) throw notificationErrors.unparsableArn(kind, target.arn);
  for (const event of target.events) if (!isKnownEvent(event)) throw notificationErrors.unknownEvent(event);
  return { id: target.id ?? '', arn: target.arn, events: [...target.events], filter: checkFilter(target.filterRules) };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` with the expected service and a resource. */
function arnParses(arn: string, service: string): boolean {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && parts[1] !== '' && parts[2] === service && parts.slice(5).join(':') !== '';
}

function checkFilter(rules: readonly FilterRuleDraft[]): KeyFilter {
  let prefix: string | undefined;
  let suffix: string | undefined;
  for (const rule of rules) {
    switch (rule.name.toLowerCase()) {
      case 'prefix':
        if (prefix !== undefined) throw notificationErrors.duplicatePrefix(rule.name);
        prefix = rule.value;
        break;
      case 'suffix':
        if (suffix !== undefined) throw notificationErrors.duplicateSuffix(rule.name);
        suffix = rule.value;
        break;
      default:
        throw notificationErrors.filterRuleName(rule.name);
    }
  }
  return { ...(prefix === undefined ? {} : { prefix }), ...(suffix === undefined ? {} : { suffix }) };
}

function checkOverlaps(config: NotificationConfiguration): void {
  const all = targetsOf(config).map(({ target }) => target);
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      if (configurationsOverlap(all[i]!, all[j]!)) throw notificationErrors.overlap();
    }
  }
}

/** Whether one event on one key could match both configurations: S3's overlap rule (see validateNotification). */
export function configurationsOverlap(a: NotificationTarget, b: NotificationTarget): boolean {
  if (!a.events.some((x) => b.events.some((y) => eventsIntersect(x, y)))) return false;
  const [prefixA, prefixB] = [a.filter.prefix ?? '', b.filter.prefix ?? ''];
  const [suffixA, suffixB] = [a.filter.suffix ?? '', b.filter.suffix ?? ''];
  const prefixesOverlap = prefixA.startsWith(prefixB) || prefixB.startsWith(prefixA);
  const suffixesOverlap = suffixA.endsWith(suffixB) || suffixB.endsWith(suffixA);
  return prefixesOverlap && suffixesOverlap;
}
