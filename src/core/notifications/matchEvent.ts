import type { KeyFilter, NotificationConfiguration, NotificationTarget, TargetKind } from './NotificationConfiguration.js';
import { targetsOf } from './NotificationConfiguration.js';
import { encodeEventKey } from './eventKey.js';
import { eventCovers } from './eventNames.js';

export interface MatchedConfiguration {
  readonly kind: TargetKind;
  readonly target: NotificationTarget;
}

/**
 * The destination configurations an event fires: each whose events cover `eventName` (the full name of what
 * happened, e.g. `s3:ObjectCreated:Put`, never a wildcard: `s3:ObjectCreated:*` covers it) and whose filter
 * matches `key`. In S3's order: topics, queues, functions, each as configured. Validation guarantees at most one
 * configuration matches a given event and key; this returns whatever the configuration holds.
 */
export function matchingConfigurations(config: NotificationConfiguration, eventName: string, key: string): MatchedConfiguration[] {
  const encoded = encodeEventKey(key);
  return targetsOf(config).filter(
    ({ target }) => target.events.some((configured) => eventCovers(configured, eventName)) && filterMatches(target.filter, encoded),
  );
}

/** Whether a filter admits a key already in its event-message form (encodeEventKey). */
export function filterMatches(filter: KeyFilter, encodedKey: string): boolean {
  if (filter.prefix !== undefined && !encodedKey.startsWith(filter.prefix)) return false;
  if (filter.suffix !== undefined && !encodedKey.endsWith(filter.suffix)) return false;
  return true;
}
