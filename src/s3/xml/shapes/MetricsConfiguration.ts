import type { MetricsConditionsDraft, MetricsConfigurationDraft, MetricsFilterDraft } from '../../../core/metrics/MetricsConfigurationDraft.js';
import { isAndFilter, type MetricsConfiguration, type MetricsFilter } from '../../../core/metrics/MetricsConfiguration.js';
import type { MetricsConfigurationPage } from '../../../core/metrics/MetricsConfigurationService.js';
import { parseXml, renderXml, xml, type XmlElement, type XmlObject } from '../../../xml/codec.js';
import { onlyElements, optional, tagElement, tagOf } from './schemaFields.js';

/**
 * `<MetricsConfiguration><Id>…</Id><Filter>…</Filter></MetricsConfiguration>`: the body of
 * PutBucketMetricsConfiguration and the answer of GetBucketMetricsConfiguration; and
 * `<ListMetricsConfigurationsResult>`, the answer of ListBucketMetricsConfigurations.
 *
 * Parsing checks the document against S3's schema only (MalformedXML: not well-formed, another root, an unknown or
 * repeated element) and yields a MetricsConfigurationDraft; validateMetricsConfiguration then checks it as S3 does.
 * Rendering writes `Id` then `Filter`, and in a filter `Prefix`, `Tag`, `AccessPointArn` — one of them alone, or two
 * or more inside `And` — the order of S3's schema.
 */
const ROOT = 'MetricsConfiguration';
const ARRAYS = [`${ROOT}.Filter.Tag`, `${ROOT}.Filter.And.Tag`];
const CONDITION_ELEMENTS = ['Prefix', 'Tag', 'AccessPointArn'];

/** Parse a metrics configuration document. Throws MalformedXML when it does not fit S3's schema. */
export function parseMetricsConfiguration(body: Buffer | string): MetricsConfigurationDraft {
  const doc = parseXml(body, ROOT, ARRAYS);
  onlyElements(doc, ['Id', 'Filter']);
  const filter = xml.child(doc, 'Filter');
  return {
    ...optional('id', xml.text(doc, 'Id')),
    ...optional('filter', filter === undefined ? undefined : filterDraft(filter)),
  };
}

function filterDraft(filter: XmlObject): MetricsFilterDraft {
  onlyElements(filter, [...CONDITION_ELEMENTS, 'And']);
  const and = xml.child(filter, 'And');
  return { ...conditionsDraft(filter), ...optional('and', and === undefined ? undefined : andDraft(and)) };
}

function andDraft(and: XmlObject): MetricsConditionsDraft {
  onlyElements(and, CONDITION_ELEMENTS);
  return conditionsDraft(and);
}

function conditionsDraft(node: XmlObject): MetricsConditionsDraft {
  return {
    ...optional('prefix', xml.text(node, 'Prefix')),
    tags: xml.children(node, 'Tag').map(tagOf),
    ...optional('accessPointArn', xml.text(node, 'AccessPointArn')?.trim()),
  };
}

// ---- rendering ----

/** GetBucketMetricsConfiguration's answer: the configuration as stored. */
export function renderMetricsConfiguration(configuration: MetricsConfiguration): string {
  return renderXml(ROOT, configurationElement(configuration));
}

/** ListBucketMetricsConfigurations' answer: one page, each configuration as a `<MetricsConfiguration>` element. */
export function renderListMetricsConfigurationsResult(page: MetricsConfigurationPage): string {
  return renderXml('ListMetricsConfigurationsResult', {
    IsTruncated: page.isTruncated,
    ContinuationToken: page.continuationToken,
    NextContinuationToken: page.nextContinuationToken,
    MetricsConfiguration: page.configurations.map(configurationElement),
  });
}

function configurationElement(configuration: MetricsConfiguration): XmlElement {
  return {
    Id: configuration.id,
    Filter: configuration.filter === undefined ? undefined : filterElement(configuration.filter),
  };
}

function filterElement(filter: MetricsFilter): XmlElement {
  const conditions: XmlElement = {
    Prefix: filter.prefix,
    Tag: filter.tags.map(tagElement),
    AccessPointArn: filter.accessPointArn,
  };
  return isAndFilter(filter) ? { And: conditions } : conditions;
}
