/**
 * The storage classes a lifecycle rule may transition objects to, and AWS's "waterfall": which class may follow
 * which, and how long an object must stay in a class before a rule moves it on
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html).
 */
export const TRANSITION_STORAGE_CLASSES = [
  'STANDARD_IA',
  'INTELLIGENT_TIERING',
  'ONEZONE_IA',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
] as const;
export type TransitionStorageClass = (typeof TRANSITION_STORAGE_CLASSES)[number];

export function isTransitionStorageClass(name: string): name is TransitionStorageClass {
  return (TRANSITION_STORAGE_CLASSES as readonly string[]).includes(name);
}

/** Storage classes S3 knows but a transition cannot target (AWS answers InvalidArgument, not MalformedXML). */
export const NON_TARGET_STORAGE_CLASSES: readonly string[] = ['STANDARD', 'REDUCED_REDUNDANCY'];

/** Where each class may go next. Any class an object starts in that is not listed here (STANDARD…) may go anywhere. */
const NEXT: Readonly<Record<TransitionStorageClass, readonly TransitionStorageClass[]>> = {
  STANDARD_IA: ['INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
  INTELLIGENT_TIERING: ['ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
  ONEZONE_IA: ['GLACIER', 'DEEP_ARCHIVE'],
  GLACIER_IR: ['GLACIER', 'DEEP_ARCHIVE'],
  GLACIER: ['DEEP_ARCHIVE'],
  DEEP_ARCHIVE: [],
};

/** Whether lifecycle may move an object stored in `from` (any storage class name) to `to`. */
export function canTransition(from: string, to: TransitionStorageClass): boolean {
  return isTransitionStorageClass(from) ? NEXT[from].includes(to) : true;
}

/**
 * Days an object must have spent in `from` before a later transition of the same rule moves it on — the class's
 * minimum storage duration as the PutBucketLifecycleConfiguration check applies it (S3 answered "must be 90 days
 * more than" for GLACIER → DEEP_ARCHIVE). Intelligent-Tiering has none: the later transition only has to be later.
 */
export function minimumDaysIn(from: TransitionStorageClass): number {
  switch (from) {
    case 'STANDARD_IA':
    case 'ONEZONE_IA':
      return 30;
    case 'GLACIER_IR':
    case 'GLACIER':
      return 90;
    case 'INTELLIGENT_TIERING':
    case 'DEEP_ARCHIVE':
      return 0;
  }
}

/** Classes a transition may only reach 30 days after creation (or after becoming noncurrent). */
export function needsThirtyDays(to: TransitionStorageClass): boolean {
  return to === 'STANDARD_IA' || to === 'ONEZONE_IA';
}

/** Position in the waterfall (colder is higher); -1 for a class lifecycle does not target (STANDARD…). */
export function coldness(storageClass: string): number {
  return (TRANSITION_STORAGE_CLASSES as readonly string[]).indexOf(storageClass);
}
