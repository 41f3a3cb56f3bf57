import type {
  AbortDraft,
  ConditionsDraft,
  ExpirationDraft,
  FilterDraft,
  LifecycleDraft,
  NoncurrentDraft,
  NoncurrentTransitionDraft,
  RuleDraft,
  TransitionDraft,
} from '../../../core/lifecycle/LifecycleDraft.js';
import type {
  Expiration,
  FilterConditions,
  LifecycleConfiguration,
  LifecycleFilter,
  LifecycleRule,
  Transition,
} from '../../../core/lifecycle/LifecycleRule.js';
import { S3Error } from '../../../errors/S3Error.js';
import { parseXml, renderXml, xml, type XmlElement, type XmlObject } from '../../../xml/codec.js';
import { integer, onlyElements, optional, tagElement, tagOf } from './schemaFields.js';

/**
 * `<LifecycleConfiguration><Rule>…</Rule>…</LifecycleConfiguration>`: the body of PutBucketLifecycleConfiguration
 * (rules with a `<Filter>`, Lifecycle V2) and of the deprecated PutBucketLifecycle (rules with a rule-level
 * `<Prefix>`, V1) — the same URI, told apart only by the body — and the answer of GetBucketLifecycleConfiguration.
 *
 * Parsing checks the document against S3's schema only (MalformedXML: not well-formed, another root, an unknown
 * or repeated element, an integer or boolean that is not one) and yields a LifecycleDraft; validateLifecycle then
 * checks it as S3 does. Rendering writes the rules in stored order, each as `ID`, `Filter` (or V1's `Prefix`),
 * `Status`, then its actions.
 */
const ROOT = 'LifecycleConfiguration';
const RULE = `${ROOT}.Rule`;
const ARRAYS = [RULE, `${RULE}.Transition`, `${RULE}.NoncurrentVersionTransition`, `${RULE}.Filter.Tag`, `${RULE}.Filter.And.Tag`];

const RULE_ELEMENTS = [
  'ID',
  'Status',
  'Prefix',
  'Filter',
  'Expiration',
  'Transition',
  'NoncurrentVersionExpiration',
  'NoncurrentVersionTransition',
  'AbortIncompleteMultipartUpload',
];
const CONDITION_ELEMENTS = ['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan'];

/** Parse a lifecycle configuration document. Throws MalformedXML when it does not fit S3's schema. */
export function parseLifecycleConfiguration(body: Buffer | string): LifecycleDraft {
  const doc = parseXml(body, ROOT, ARRAYS);
  onlyElements(doc, ['Rule']);
  return { rules: xml.children(doc, 'Rule').map(ruleDraft) };
}

function ruleDraft(rule: XmlObject): RuleDraft {
  onlyElements(rule, RULE_ELEMENTS);
  const filter = xml.child(rule, 'Filter');
  const expiration = xml.child(rule, 'Expiration');
  const noncurrent = xml.child(rule, 'NoncurrentVersionExpiration');
  const abort = xml.child(rule, 'AbortIncompleteMultipartUpload');
  return {
    ...optional('id', xml.text(rule, 'ID')),
    ...optional('status', xml.text(rule, 'Status')?.trim()),
    ...optional('prefix', xml.text(rule, 'Prefix')),
    ...optional('filter', filter === undefined ? undefined : filterDraft(filter)),
    ...optional('expiration', expiration === undefined ? undefined : expirationDraft(expiration)),
    transitions: xml.children(rule, 'Transition').map(transitionDraft),
    ...optional('noncurrentVersionExpiration', noncurrent === undefined ? undefined : noncurrentDraft(noncurrent)),
    noncurrentVersionTransitions: xml.children(rule, 'NoncurrentVersionTransition').map(noncurrentTransitionDraft),
    ...optional('abortIncompleteMultipartUpload', abort === undefined ? undefined : abortDraft(abort)),
  };
}

function filterDraft(filter: XmlObject): FilterDraft {
  onlyElements(filter, [...CONDITION_ELEMENTS, 'And']);
  const and = xml.child(filter, 'And');
  return { ...conditionsDraft(filter), ...optional('and', and === undefined ? undefined : andDraft(and)) };
}

function andDraft(and: XmlObject): ConditionsDraft {
  onlyElements(and, CONDITION_ELEMENTS);
  return conditionsDraft(and);
}

function conditionsDraft(node: XmlObject): ConditionsDraft {
  return {
    ...optional('prefix', xml.text(node, 'Prefix')),
    tags: xml.children(node, 'Tag').map(tagOf),
    ...optional('objectSizeGreaterThan', integer(xml.text(node, 'ObjectSizeGreaterThan'), 'long')),
    ...optional('objectSizeLessThan', integer(xml.text(node, 'ObjectSizeLessThan'), 'long')),
  };
}


function expirationDraft(e: XmlObject): ExpirationDraft {
  onlyElements(e, ['Days', 'Date', 'ExpiredObjectDeleteMarker']);
  return {
    ...optional('days', integer(xml.text(e, 'Days'))),
    ...optional('date', xml.text(e, 'Date')),
    ...optional('expiredObjectDeleteMarker', boolean(xml.text(e, 'ExpiredObjectDeleteMarker'))),
  };
}

function transitionDraft(t: XmlObject): TransitionDraft {
  onlyElements(t, ['Days', 'Date', 'StorageClass']);
  return {
    ...optional('days', integer(xml.text(t, 'Days'))),
    ...optional('date', xml.text(t, 'Date')),
    ...optional('storageClass', xml.text(t, 'StorageClass')?.trim()),
  };
}

function noncurrentDraft(n: XmlObject): NoncurrentDraft {
  onlyElements(n, ['NoncurrentDays', 'NewerNoncurrentVersions']);
  return noncurrentFields(n);
}

function noncurrentFields(n: XmlObject): NoncurrentDraft {
  return {
    ...optional('noncurrentDays', integer(xml.text(n, 'NoncurrentDays'))),
    ...optional('newerNoncurrentVersions', integer(xml.text(n, 'NewerNoncurrentVersions'))),
  };
}

function noncurrentTransitionDraft(n: XmlObject): NoncurrentTransitionDraft {
  onlyElements(n, ['NoncurrentDays', 'NewerNoncurrentVersions', 'StorageClass']);
  return { ...noncurrentFields(n), ...optional('storageClass', xml.text(n, 'StorageClass')?.trim()) };
}

function abortDraft(a: XmlObject): AbortDraft {
  onlyElements(a, ['DaysAfterInitiation']);
  return optional('daysAfterInitiation', integer(xml.text(a, 'DaysAfterInitiation')));
}

// ---- schema helpers ----





function boolean(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  switch (text.trim()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      throw new S3Error('MalformedXML');
  }
}

// ---- rendering ----

/** GetBucketLifecycleConfiguration's answer: the rules in stored order. */
export function renderLifecycleConfiguration(config: LifecycleConfiguration): string {
  return renderXml(ROOT, { Rule: config.rules.map(ruleElement) });
}

function ruleElement(rule: LifecycleRule): XmlElement {
  return {
    ID: rule.id,
    ...(rule.scope.kind === 'prefix' ? { Prefix: rule.scope.prefix } : { Filter: filterElement(rule.scope.filter) }),
    Status: rule.status,
    Transition: rule.transitions.map(transitionElement),
    Expiration: rule.expiration === undefined ? undefined : expirationElement(rule.expiration),
    NoncurrentVersionTransition: rule.noncurrentVersionTransitions.map((t) => ({
      NoncurrentDays: t.noncurrentDays,
      NewerNoncurrentVersions: t.newerNoncurrentVersions,
      StorageClass: t.storageClass,
    })),
    NoncurrentVersionExpiration: rule.noncurrentVersionExpiration === undefined
      ? undefined
      : {
          NoncurrentDays: rule.noncurrentVersionExpiration.noncurrentDays,
          NewerNoncurrentVersions: rule.noncurrentVersionExpiration.newerNoncurrentVersions,
        },
    AbortIncompleteMultipartUpload: rule.abortIncompleteMultipartUpload === undefined
      ? undefined
      : { DaysAfterInitiation: rule.abortIncompleteMultipartUpload.daysAfterInitiation },
  };
}


function filterElement(filter: LifecycleFilter): XmlElement {
  switch (filter.kind) {
    case 'all':
      return {};
    case 'prefix':
      return { Prefix: filter.prefix };
    case 'tag':
      return { Tag: tagElement(filter.tag) };
    case 'objectSizeGreaterThan':
      return { ObjectSizeGreaterThan: filter.bytes };
    case 'objectSizeLessThan':
      return { ObjectSizeLessThan: filter.bytes };
    case 'and':
      return { And: andElement(filter.and) };
  }
}

function andElement(and: FilterConditions): XmlElement {
  return {
    Prefix: and.prefix,
    Tag: and.tags.map(tagElement),
    ObjectSizeGreaterThan: and.objectSizeGreaterThan,
    ObjectSizeLessThan: and.objectSizeLessThan,
  };
}

function expirationElement(e: Expiration): XmlElement {
  switch (e.kind) {
    case 'days':
      return { Days: e.days };
    case 'date':
      return { Date: e.date };
    case 'expiredObjectDeleteMarker':
      return { ExpiredObjectDeleteMarker: e.enabled };
  }
}

function transitionElement(t: Transition): XmlElement {
  return t.kind === 'days' ? { Days: t.days, StorageClass: t.storageClass } : { Date: t.date, StorageClass: t.storageClass };
}
