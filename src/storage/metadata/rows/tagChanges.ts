import type { Tag } from '../../../core/tags/Tag.js';

/** The row changes that turn a version's stored tags into a new set (keys are unique within each). */
export interface TagChanges {
  /** Keys to delete. */
  readonly remove: readonly string[];
  /** Kept keys whose value changes. */
  readonly update: readonly Tag[];
  /** Keys to insert. */
  readonly insert: readonly Tag[];
}

/**
 * What a tag write must change: a tag kept with its value costs no statement (rewriting the same set, as clients
 * and batch jobs often do, changes no row). Pure; the order of either list does not matter.
 */
export function tagChanges(current: readonly Tag[], next: readonly Tag[]): TagChanges {
  const before = new Map<string, string>();
  for (const tag of current) before.set(tag.key, tag.value);
  const update: Tag[] = [];
  const insert: Tag[] = [];
  for (const tag of next) {
    const value = before.get(tag.key);
    if (value === undefined) insert.push(tag);
    else if (value !== tag.value) update.push(tag);
    before.delete(tag.key);
  }
  return { remove: [...before.keys()], update, insert };
}
