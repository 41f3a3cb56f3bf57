import type { Tag } from '../tags/Tag.js';

/**
 * A metrics configuration as a document gives it, before validateMetricsConfiguration checks it: each element that
 * was present, as written. The XML shape (s3/xml/shapes/MetricsConfiguration.ts) builds one.
 */
export interface MetricsConfigurationDraft {
  /** The body's `<Id>`; undefined when the element is missing. */
  readonly id?: string;
  readonly filter?: MetricsFilterDraft;
}

/** A `<Filter>`: every condition element present directly in it (so that more than one can be refused), and its And. */
export interface MetricsFilterDraft extends MetricsConditionsDraft {
  readonly and?: MetricsConditionsDraft;
}

export interface MetricsConditionsDraft {
  readonly prefix?: string;
  /** Every `<Tag>` element, in document order. */
  readonly tags: readonly Tag[];
  readonly accessPointArn?: string;
}
