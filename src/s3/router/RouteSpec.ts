/** What a request must look like to be routed to an operation. Data, not code: see resolve.ts. */
export interface RouteSpec {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  /** service: `/`; bucket: `/{Bucket}`; object: `/{Bucket}/{Key+}`. */
  readonly target: 'service' | 'bucket' | 'object';
  /** Query parameters that must be present (sub-resources such as `tagging`, `uploadId`, `partNumber`). */
  readonly query?: readonly string[];
  /**
   * Sub-resource query parameters the route accepts without requiring them (e.g. `partNumber` on GetObject/HeadObject).
   * They do not add to the route's specificity.
   */
  readonly optionalQuery?: readonly string[];
  /** Query parameters that must have an exact value, e.g. `{ 'list-type': '2' }`. */
  readonly queryValues?: Readonly<Record<string, string>>;
  /** A header that must be present, e.g. `x-amz-copy-source`. */
  readonly header?: string;
  /** A Content-Type prefix the request must have, e.g. `multipart/form-data` for browser POST uploads. */
  readonly contentType?: string;
}

/**
 * Query parameter names that select a sub-resource. A request carrying one that no route of the matching
 * method/target consumes is answered with an error instead of falling through to the plain operation
 * (e.g. `GET /bucket?cors` must never become ListObjects).
 */
export const SUBRESOURCES: ReadonlySet<string> = new Set([
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory',
  'legal-hold', 'lifecycle', 'list-type', 'location', 'logging', 'metadataConfiguration', 'metrics', 'notification',
  'object-lock', 'ownershipControls', 'partNumber', 'policy', 'policyStatus', 'publicAccessBlock', 'replication',
  'requestPayment', 'restore', 'retention', 'select', 'session', 'tagging', 'torrent', 'uploadId', 'uploads',
  'versioning', 'versions', 'website', 'renameObject',
  // Tessera's own tools (docs/lifecycle.md)
  'tessera-lifecycle', 'tessera-replication', 'tessera-notifications', 'tessera-stats', 'tessera-audit', 'tessera-tags',
]);
