export type VersioningState = 'Unversioned' | 'Enabled' | 'Suspended';

export interface Bucket {
  readonly name: string;
  /** Account id of the owner. */
  readonly ownerAccountId: string;
  readonly region: string;
  readonly createdAt: Date;
  readonly versioning: VersioningState;
}
