import type { MetricsConfiguration } from '../../../src/core/metrics/MetricsConfiguration.js';
import { validateMetricsConfiguration } from '../../../src/core/metrics/validateMetricsConfiguration.js';
import { parseMetricsConfiguration } from '../../../src/s3/xml/shapes/MetricsConfiguration.js';

export const AP_ARN = 'arn:aws:s3:us-east-1:123456789012:accesspoint/reports-ap';

/** A MetricsConfiguration document with the given Id (none when undefined) and inner XML after it. */
export function doc(id: string | undefined, inner = ''): string {
  return `<MetricsConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${id === undefined ? '' : `<Id>${id}</Id>`}${inner}</MetricsConfiguration>`;
}

export function tag(key: string, value = 'v'): string {
  return `<Tag><Key>${key}</Key><Value>${value}</Value></Tag>`;
}

/** Parse and validate a document for the query id, as PutBucketMetricsConfiguration does. */
export function configure(body: string, queryId: string | undefined): MetricsConfiguration {
  return validateMetricsConfiguration(parseMetricsConfiguration(body), queryId);
}

export { expectS3Error, MALFORMED, type ExpectedError } from '../../support/expectS3Error.js';
