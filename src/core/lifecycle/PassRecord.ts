/**
 * A lifecycle pass over one bucket: when it evaluated, how far it got (its durable cursor), and what it did, rule by
 * rule. A pass evaluates every version at one instant (`evaluatedAt`), so resuming after a crash decides exactly as
 * the interrupted run would have.
 */
export interface PassRecord {
  readonly id: number;
  readonly bucket: string;
  /** What started it: `schedule`, `start` (the server started), `cli`, `api`. */
  readonly trigger: string;
  readonly evaluatedAt: Date;
  readonly startedAt: Date;
  readonly finishedAt?: Date;
  readonly cursor: PassCursor;
  readonly tally: PassTally;
  /** Writes skipped because the version changed after the pass read it. */
  readonly stale: number;
  readonly errors: readonly string[];
}

/**
 * Where a pass is: which scan of its plan (see planScans) and the position inside it, or the upload scan, or done.
 * Written in the same transaction as the writes of the unit before it. `plan` identifies the scan plan the position
 * belongs to (a pass resumed under a changed configuration starts over).
 */
export type PassCursor =
  | { readonly phase: 'versions'; readonly scan: number; readonly after?: string; readonly plan?: string }
  | { readonly phase: 'uploads'; readonly scan: number; readonly after?: string; readonly plan?: string }
  | { readonly phase: 'done' };

export const PASS_START: PassCursor = { phase: 'versions', scan: 0 };

/** What one rule did in a pass: objects and bytes per action. */
export interface RuleTally {
  readonly objects: number;
  readonly bytes: number;
  readonly actions: Readonly<Record<string, number>>;
}

/** By rule id. */
export type PassTally = Readonly<Record<string, RuleTally>>;

/** A tally being counted (see countInto). */
export type MutableTally = Record<string, { objects: number; bytes: number; actions: Record<string, number> }>;

/** Count one more action of `ruleId` on `bytes` bytes into `tally` (in place: for counting many). */
export function countInto(tally: MutableTally, entry: { readonly ruleId: string; readonly action: string; readonly bytes: number }): void {
  let rule = tally[entry.ruleId];
  if (rule === undefined) {
    rule = { objects: 0, bytes: 0, actions: {} };
    tally[entry.ruleId] = rule;
  }
  rule.objects++;
  rule.bytes += entry.bytes;
  rule.actions[entry.action] = (rule.actions[entry.action] ?? 0) + 1;
}
