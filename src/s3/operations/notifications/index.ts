import type { AnyOperation } from '../Operation.js';
import { GetBucketNotificationConfiguration } from './GetBucketNotificationConfiguration.js';
import { PutBucketNotificationConfiguration } from './PutBucketNotificationConfiguration.js';
import { ListDeadLetters } from './tessera/ListDeadLetters.js';

/** Event notification configuration, and Tessera's dead-letter list (`tessera notifications dead-letters`). */
export const notificationOperations: readonly AnyOperation[] = [
  PutBucketNotificationConfiguration,
  GetBucketNotificationConfiguration,
  ListDeadLetters,
];
