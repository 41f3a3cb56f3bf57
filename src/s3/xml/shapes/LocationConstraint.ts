import { US_EAST_1 } from '../../../core/buckets/locationConstraint.js';
import { XML_TEXT, renderXml } from '../../../xml/codec.js';

/**
 * GetBucketLocation's answer: `<LocationConstraint>region</LocationConstraint>`, an empty element for us-east-1
 * (which AWS reports as "no constraint").
 */
export function renderLocationConstraint(region: string): string {
  return renderXml('LocationConstraint', region === US_EAST_1 ? {} : { [XML_TEXT]: region });
}
