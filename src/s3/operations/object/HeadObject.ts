import type { Operation } from '../Operation.js';
import { readActions, serveObject } from './serveObject.js';

/** HEAD /{Bucket}/{Key+}[?versionId][&partNumber]: GetObject's headers without the body. */
export const HeadObject: Operation<'object'> = {
  name: 'HeadObject',
  route: { method: 'HEAD', target: 'object', optionalQuery: ['partNumber'] },
  actions: readActions,
  handle: (ctx) => serveObject(ctx, true),
};
