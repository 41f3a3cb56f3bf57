import type { Operation } from '../Operation.js';
import { readActions, serveObject } from './serveObject.js';

/** GET /{Bucket}/{Key+}[?versionId][&partNumber][&response-*]: the object's bytes (whole, a range or a part). */
export const GetObject: Operation<'object'> = {
  name: 'GetObject',
  route: { method: 'GET', target: 'object', optionalQuery: ['partNumber'] },
  actions: readActions,
  handle: (ctx) => serveObject(ctx, false),
};
