import type { Logger } from 'pino';
import type { Principal } from '../core/identity/Principal.js';
import { parsePolicy, type Policy } from './engine/index.js';
import type { IdentityPolicySource } from './IdentityPolicySource.js';

const NO_POLICIES: readonly Policy[] = Object.freeze([]);

/**
 * A principal's identity policies, compiled. A source that hands out the same frozen list while the policies are
 * unchanged (iam/IdentityPolicies) has them compiled once per list, not text by text.
 *
 * The one rule for a stored policy that no longer parses (policies are validated when written, so this means a
 * policy written by an older engine): it is skipped — it grants nothing and denies nothing — and logged.
 */
export class CompiledPolicies {
  private readonly byList = new WeakMap<readonly string[], readonly Policy[]>();

  constructor(
    private readonly source: IdentityPolicySource | undefined,
    private readonly log?: Logger,
  ) {}

  /** The identity policies governing a principal; none for anonymous callers and root users. */
  async of(principal: Principal): Promise<readonly Policy[]> {
    if (principal.kind !== 'user' || principal.isRoot || this.source === undefined) return [];
    return this.compile(await this.source.policiesOf(principal));
  }

  /** The same policies when the source holds their texts in memory, else null (then call `of`). */
  inMemory(principal: Principal): readonly Policy[] | null {
    if (principal.kind !== 'user' || principal.isRoot || this.source === undefined) return NO_POLICIES;
    const texts = this.source.policiesInMemory?.(principal) ?? null;
    return texts === null ? null : this.compile(texts);
  }

  /** Compile policy texts (e.g. a role's permission policies), skipping and logging any that do not parse. */
  compile(texts: readonly string[]): readonly Policy[] {
    const known = Object.isFrozen(texts) ? this.byList.get(texts) : undefined;
    if (known !== undefined) return known;
    const policies = Object.freeze(
      texts.map((text) => parseStored(text, 'identity', undefined, this.log)).filter((p): p is Policy => p !== undefined),
    );
    if (Object.isFrozen(texts)) this.byList.set(texts, policies);
    return policies;
  }
}

/** Parse a stored policy (identity or bucket), or skip it — logged — when it no longer parses. */
export function parseStored(text: string, kind: 'identity' | 'resource', bucket: string | undefined, log: Logger | undefined): Policy | undefined {
  try {
    return parsePolicy(text, kind, bucket === undefined ? {} : { bucket });
  } catch (err) {
    log?.warn({ err, kind, bucket }, 'ignoring a stored policy that does not parse');
    return undefined;
  }
}
