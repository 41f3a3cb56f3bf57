/** The values of promises seen settled (keyed by the promise object, so a cached promise is looked up for free). */
const known = new WeakMap<Promise<unknown>, { readonly value: unknown }>();

/**
 * The value of a promise that has already resolved — when this has seen it resolve — so an observer can go on
 * without a turn of the microtask queue for the answers a service keeps cached (the same promise every time);
 * otherwise undefined, and it starts watching the promise.
 */
export function resolvedValue<T>(promise: Promise<T>): { readonly value: T } | undefined {
  const found = known.get(promise);
  if (found !== undefined) return found as { readonly value: T };
  promise.then(
    (value) => known.set(promise, { value }),
    () => undefined,
  );
  return undefined;
}
