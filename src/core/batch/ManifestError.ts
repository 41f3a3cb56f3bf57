/** A manifest that cannot be read: the job fails with this code and reason (FailureReasons). */
export class ManifestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}
