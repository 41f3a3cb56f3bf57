import type {
  DestinationDraft,
  ReplicationConditionsDraft,
  ReplicationDraft,
  ReplicationFilterDraft,
  ReplicationRuleDraft,
  StatusDraft,
} from '../../../core/replication/ReplicationDraft.js';
import type { ReplicationConfiguration, ReplicationFilter, ReplicationRule } from '../../../core/replication/ReplicationRule.js';
import { parseXml, renderXml, xml, type XmlElement, type XmlObject } from '../../../xml/codec.js';
import { integer, onlyElements, optional, tagElement, tagOf } from './schemaFields.js';

/**
 * `<ReplicationConfiguration><Role>…</Role><Rule>…</Rule>…</ReplicationConfiguration>`: the body of
 * PutBucketReplication and the answer of GetBucketReplication.
 *
 * Parsing checks the document against S3's schema only (MalformedXML: not well-formed, another root, an unknown or
 * repeated element, a Priority that is not an integer) and yields a ReplicationDraft; validateReplication then
 * checks it as S3 does. Elements of the schema that Tessera does not model (SourceSelectionCriteria, and the
 * Destination's AccessControlTranslation, EncryptionConfiguration, ReplicationTime, Metrics) are refused with
 * NotImplemented rather than silently dropped. Rendering writes the rules in stored order, each as `ID`,
 * `Priority`, `Prefix` or `Filter`, `Status`, `ExistingObjectReplication`, `Destination`, `DeleteMarkerReplication`
 * (the order of S3's schema).
 */
const ROOT = 'ReplicationConfiguration';
const RULE = `${ROOT}.Rule`;
const ARRAYS = [RULE, `${RULE}.Filter.Tag`, `${RULE}.Filter.And.Tag`];

const RULE_ELEMENTS = ['ID', 'Priority', 'Prefix', 'Filter', 'Status', 'ExistingObjectReplication', 'Destination', 'DeleteMarkerReplication'];
const RULE_UNSUPPORTED = ['SourceSelectionCriteria'];
const DESTINATION_ELEMENTS = ['Bucket', 'Account', 'StorageClass'];
const DESTINATION_UNSUPPORTED = ['AccessControlTranslation', 'EncryptionConfiguration', 'ReplicationTime', 'Metrics'];
const CONDITION_ELEMENTS = ['Prefix', 'Tag'];

/** Parse a replication configuration document. Throws MalformedXML when it does not fit S3's schema. */
export function parseReplicationConfiguration(body: Buffer | string): ReplicationDraft {
  const doc = parseXml(body, ROOT, ARRAYS);
  onlyElements(doc, ['Role', 'Rule']);
  return { ...optional('role', xml.text(doc, 'Role')), rules: xml.children(doc, 'Rule').map(ruleDraft) };
}

function ruleDraft(rule: XmlObject): ReplicationRuleDraft {
  onlyElements(rule, RULE_ELEMENTS, RULE_UNSUPPORTED, 'replication configuration');
  const filter = xml.child(rule, 'Filter');
  const destination = xml.child(rule, 'Destination');
  const deleteMarkers = xml.child(rule, 'DeleteMarkerReplication');
  const existing = xml.child(rule, 'ExistingObjectReplication');
  return {
    ...optional('id', xml.text(rule, 'ID')),
    ...optional('priority', integer(xml.text(rule, 'Priority'))),
    ...optional('status', xml.text(rule, 'Status')?.trim()),
    ...optional('prefix', xml.text(rule, 'Prefix')),
    ...optional('filter', filter === undefined ? undefined : filterDraft(filter)),
    ...optional('destination', destination === undefined ? undefined : destinationDraft(destination)),
    ...optional('deleteMarkerReplication', deleteMarkers === undefined ? undefined : statusDraft(deleteMarkers)),
    ...optional('existingObjectReplication', existing === undefined ? undefined : statusDraft(existing)),
  };
}

function filterDraft(filter: XmlObject): ReplicationFilterDraft {
  onlyElements(filter, [...CONDITION_ELEMENTS, 'And']);
  const and = xml.child(filter, 'And');
  return { ...conditionsDraft(filter), ...optional('and', and === undefined ? undefined : andDraft(and)) };
}

function andDraft(and: XmlObject): ReplicationConditionsDraft {
  onlyElements(and, CONDITION_ELEMENTS);
  return conditionsDraft(and);
}

function conditionsDraft(node: XmlObject): ReplicationConditionsDraft {
  return { ...optional('prefix', xml.text(node, 'Prefix')), tags: xml.children(node, 'Tag').map(tagOf) };
}


function destinationDraft(d: XmlObject): DestinationDraft {
  onlyElements(d, DESTINATION_ELEMENTS, DESTINATION_UNSUPPORTED, 'replication configuration');
  return {
    ...optional('bucket', xml.text(d, 'Bucket')?.trim()),
    ...optional('account', xml.text(d, 'Account')?.trim()),
    ...optional('storageClass', xml.text(d, 'StorageClass')?.trim()),
  };
}

function statusDraft(node: XmlObject): StatusDraft {
  onlyElements(node, ['Status']);
  return optional('status', xml.text(node, 'Status')?.trim());
}

// ---- schema helpers ----





// ---- rendering ----

/** GetBucketReplication's answer: the role, then the rules in stored order. */
export function renderReplicationConfiguration(config: ReplicationConfiguration): string {
  return renderXml(ROOT, { Role: config.role, Rule: config.rules.map(ruleElement) });
}

function ruleElement(rule: ReplicationRule): XmlElement {
  const d = rule.destination;
  return {
    ID: rule.id,
    Priority: rule.priority,
    ...(rule.scope.kind === 'prefix' ? { Prefix: rule.scope.prefix } : { Filter: filterElement(rule.scope.filter) }),
    Status: rule.status,
    ExistingObjectReplication: rule.existingObjectReplication === undefined ? undefined : { Status: rule.existingObjectReplication },
    Destination: { Bucket: d.bucketArn, Account: d.account, StorageClass: d.storageClass },
    DeleteMarkerReplication: rule.deleteMarkerReplication === undefined ? undefined : { Status: rule.deleteMarkerReplication },
  };
}


function filterElement(filter: ReplicationFilter): XmlElement {
  switch (filter.kind) {
    case 'all':
      return {};
    case 'prefix':
      return { Prefix: filter.prefix };
    case 'tag':
      return { Tag: tagElement(filter.tag) };
    case 'and':
      return { And: { Prefix: filter.prefix, Tag: filter.tags.map(tagElement) } };
  }
}
