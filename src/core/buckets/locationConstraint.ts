import { S3Error } from '../../errors/S3Error.js';

/** The one region whose buckets are created without a location constraint (and whose GetBucketLocation is empty). */
export const US_EAST_1 = 'us-east-1';

/** `EU` is AWS's legacy name for eu-west-1 and is still accepted as a location constraint. */
const LEGACY_ALIASES: Readonly<Record<string, string>> = { EU: 'eu-west-1' };

const REGION_NAME = /^[a-z0-9-]{1,64}$/;

function incompatible(what: string): S3Error {
  return new S3Error(
    'IllegalLocationConstraintException', { message: `The ${what} location constraint is incompatible for the region specific endpoint this request was sent to.` }
  );
}

function invalid(constraint: string): S3Error {
  return new S3Error('InvalidLocationConstraint', { message: 'The specified location-constraint is not valid', details: { LocationConstraint: constraint } });
}

/**
 * The region a new bucket lands in, given CreateBucket's LocationConstraint (undefined when the request has no
 * CreateBucketConfiguration or no LocationConstraint in it) and the region this server answers as. A Tessera server
 * is one region, so it behaves like an AWS regional endpoint:
 * - no constraint: fine on us-east-1; elsewhere 400 IllegalLocationConstraintException ("unspecified").
 * - `us-east-1` spelled out, an empty value, or something that is not a region name: 400 InvalidLocationConstraint
 *   (us-east-1 is the default and AWS refuses it as an explicit constraint).
 * - the server's own region (or `EU` on eu-west-1): that region.
 * - any other region: 400 IllegalLocationConstraintException (we cannot create buckets elsewhere).
 */
export function bucketRegionFor(constraint: string | undefined, serverRegion: string): string {
  if (constraint === undefined) {
    if (serverRegion === US_EAST_1) return US_EAST_1;
    throw incompatible('unspecified');
  }
  if (constraint === '' || constraint === US_EAST_1) throw invalid(constraint);
  const region = LEGACY_ALIASES[constraint] ?? constraint;
  if (!REGION_NAME.test(region)) throw invalid(constraint);
  if (region !== serverRegion) throw incompatible(constraint);
  return region;
}
