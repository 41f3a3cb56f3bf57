import type { RouteSpec } from './RouteSpec.js';
import { SUBRESOURCES } from './RouteSpec.js';

/** The parts of a request routing looks at. */
export interface RoutableRequest {
  readonly method: string;
  readonly target: RouteSpec['target'];
  readonly query: ReadonlyMap<string, string>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type Resolution<T> =
  | { readonly kind: 'found'; readonly route: T }
  /** The path exists for other methods only (405 MethodNotAllowed). */
  | { readonly kind: 'method-not-allowed' }
  /** A sub-resource no operation here handles (501 NotImplemented). */
  | { readonly kind: 'not-implemented'; readonly subresource: string };

function matches(spec: RouteSpec, req: RoutableRequest): boolean {
  for (const q of spec.query ?? []) if (!req.query.has(q)) return false;
  const values = spec.queryValues;
  if (values !== undefined) for (const q in values) if (req.query.get(q) !== values[q]) return false;
  if (spec.header !== undefined && req.headers[spec.header] === undefined) return false;
  if (spec.contentType !== undefined) {
    const ct = req.headers['content-type'];
    const value = Array.isArray(ct) ? ct[0] : ct;
    if (value === undefined || !value.toLowerCase().startsWith(spec.contentType)) return false;
  }
  // every sub-resource the request names must be consumed by this route
  for (const name of req.query.keys()) {
    if (
      SUBRESOURCES.has(name) &&
      !(spec.query ?? []).includes(name) &&
      !(spec.optionalQuery ?? []).includes(name) &&
      spec.queryValues?.[name] === undefined
    ) {
      return false;
    }
  }
  return true;
}

function specificity(spec: RouteSpec): number {
  return (spec.query?.length ?? 0) + Object.keys(spec.queryValues ?? {}).length + (spec.header ? 1 : 0) + (spec.contentType ? 1 : 0);
}

/** The routes of one table by target and method, with their specificity: built once per table (WeakMap below). */
type RouteIndex = Map<string, Map<string, { readonly routes: readonly { readonly route: RouteSpec }[]; readonly specificity: readonly number[] }>>;

const indexes = new WeakMap<readonly { readonly route: RouteSpec }[], RouteIndex>();

function indexOf(routes: readonly { readonly route: RouteSpec }[]): RouteIndex {
  let index = indexes.get(routes);
  if (index !== undefined) return index;
  index = new Map();
  for (const r of routes) {
    let byMethod = index.get(r.route.target);
    if (byMethod === undefined) {
      byMethod = new Map();
      index.set(r.route.target, byMethod);
    }
    const entry = byMethod.get(r.route.method) ?? { routes: [], specificity: [] };
    (entry.routes as { readonly route: RouteSpec }[]).push(r);
    (entry.specificity as number[]).push(specificity(r.route));
    byMethod.set(r.route.method, entry);
  }
  indexes.set(routes, index);
  return index;
}

/**
 * Pick the route for a request: among routes of the same method and target whose conditions all hold,
 * the most specific one (most conditions; the first listed among equals). Pure (the table's index by target and
 * method is built on its first use); see test/unit/router.test.ts for the AWS request lines.
 */
export function resolve<T extends { readonly route: RouteSpec }>(routes: readonly T[], req: RoutableRequest): Resolution<T> {
  const entry = indexOf(routes).get(req.target)?.get(req.method);
  if (entry !== undefined) {
    let best: T | undefined;
    let bestSpecificity = -1;
    for (let i = 0; i < entry.routes.length; i++) {
      const candidate = entry.routes[i] as T;
      const specific = entry.specificity[i] as number;
      if (specific > bestSpecificity && matches(candidate.route, req)) {
        best = candidate;
        bestSpecificity = specific;
      }
    }
    if (best !== undefined) return { kind: 'found', route: best };
  }
  const sameTarget = routes.filter((r) => r.route.target === req.target);
  const unknown = [...req.query.keys()].find(
    (name) =>
      SUBRESOURCES.has(name) &&
      !sameTarget.some(
        (r) =>
          (r.route.query ?? []).includes(name) ||
          (r.route.optionalQuery ?? []).includes(name) ||
          r.route.queryValues?.[name] !== undefined,
      ),
  );
  if (unknown !== undefined) return { kind: 'not-implemented', subresource: unknown };
  return { kind: 'method-not-allowed' };
}
