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
  for (const [q, v] of Object.entries(spec.queryValues ?? {})) if (req.query.get(q) !== v) return false;
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

/**
 * Pick the route for a request: among routes of the same method and target whose conditions all hold,
 * the most specific one (most conditions). Pure; see test/unit/router.test.ts for the AWS request lines.
 */
export function resolve<T extends { readonly route: RouteSpec }>(routes: readonly T[], req: RoutableRequest): Resolution<T> {
  const sameTarget = routes.filter((r) => r.route.target === req.target);
  const candidates = sameTarget.filter((r) => r.route.method === req.method && matches(r.route, req));
  if (candidates.length > 0) {
    let best = candidates[0] as T;
    for (const c of candidates) if (specificity(c.route) > specificity(best.route)) best = c;
    return { kind: 'found', route: best };
  }
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
