import type { LifecycleAction } from './planRule.js';

/** The name of an action in pass records and previews. */
export function actionName(action: LifecycleAction): string {
  switch (action.kind) {
    case 'expireCurrent':
      return 'expire';
    case 'expireNoncurrent':
      return 'expire-noncurrent';
    case 'removeExpiredDeleteMarker':
      return 'remove-delete-marker';
    case 'transition':
      return `transition:${action.storageClass}`;
  }
}
