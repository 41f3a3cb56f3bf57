import type { FilterRuleDraft, NotificationDraft, TargetDraft } from '../../../core/notifications/NotificationDraft.js';
import type { KeyFilter, NotificationConfiguration, NotificationTarget } from '../../../core/notifications/NotificationConfiguration.js';
import { S3Error } from '../../../errors/S3Error.js';
import { parseXml, renderXml, xml, type XmlElement, type XmlObject } from '../../../xml/codec.js';
import { onlyElements } from './schemaFields.js';

/**
 * `<NotificationConfiguration>`: the body of PutBucketNotificationConfiguration and the answer of
 * GetBucketNotificationConfiguration.
 *
 *   <NotificationConfiguration>
 *     <TopicConfiguration> <Id/>? <Topic/> <Event/>+ <Filter><S3Key><FilterRule><Name/><Value/></FilterRule>*</S3Key></Filter>? </TopicConfiguration>*
 *     <QueueConfiguration> … <Queue/> … </QueueConfiguration>*
 *     <CloudFunctionConfiguration> … <CloudFunction/> … </CloudFunctionConfiguration>*
 *     <EventBridgeConfiguration/>?
 *   </NotificationConfiguration>
 *
 * Parsing checks the document against S3's schema only (MalformedXML: not well-formed, another root, an unknown or
 * repeated element, a configuration without its ARN or without an Event, a FilterRule without Name or Value) and
 * yields a NotificationDraft; validateNotification then checks it as S3 does. An empty `<NotificationConfiguration/>`
 * is a draft with nothing in it: putting it removes every notification. Rendering writes topics, queues, functions
 * (each in stored order, as `Id`, the ARN, each `Event`, then `Filter` when it has a rule, `Prefix` before `Suffix`)
 * and `<EventBridgeConfiguration/>` when it was put.
 */
const ROOT = 'NotificationConfiguration';
const KINDS = [
  { element: 'TopicConfiguration', arn: 'Topic' },
  { element: 'QueueConfiguration', arn: 'Queue' },
  { element: 'CloudFunctionConfiguration', arn: 'CloudFunction' },
] as const;
const EVENT_BRIDGE = 'EventBridgeConfiguration';
const ARRAYS = KINDS.flatMap(({ element }) => [
  `${ROOT}.${element}`,
  `${ROOT}.${element}.Event`,
  `${ROOT}.${element}.Filter.S3Key.FilterRule`,
]);

/** Parse a notification configuration document. Throws MalformedXML when it does not fit S3's schema. */
export function parseNotificationConfiguration(body: Buffer | string): NotificationDraft {
  const doc = parseXml(body, ROOT, ARRAYS);
  onlyElements(doc, [...KINDS.map(({ element }) => element), EVENT_BRIDGE]);
  const [topics, queues, functions] = KINDS.map(({ element, arn }) => xml.children(doc, element).map((c) => targetDraft(c, arn)));
  const eventBridge = xml.child(doc, EVENT_BRIDGE);
  if (eventBridge !== undefined) onlyElements(eventBridge, []);
  return { topics: topics ?? [], queues: queues ?? [], functions: functions ?? [], eventBridge: eventBridge !== undefined };
}

function targetDraft(node: XmlObject, arnElement: string): TargetDraft {
  onlyElements(node, ['Id', arnElement, 'Event', 'Filter']);
  const events = node['Event'] === undefined ? [] : (node['Event'] as unknown[]).map(textOf);
  if (events.length === 0) throw new S3Error('MalformedXML');
  const filter = xml.child(node, 'Filter');
  const id = xml.text(node, 'Id');
  return {
    ...(id === undefined ? {} : { id }),
    arn: xml.requiredText(node, arnElement),
    events,
    filterRules: filter === undefined ? [] : filterRules(filter),
  };
}

function filterRules(filter: XmlObject): FilterRuleDraft[] {
  onlyElements(filter, ['S3Key']);
  const s3Key = xml.child(filter, 'S3Key');
  if (s3Key === undefined) return [];
  onlyElements(s3Key, ['FilterRule']);
  return xml.children(s3Key, 'FilterRule').map((rule) => {
    onlyElements(rule, ['Name', 'Value']);
    return { name: xml.requiredText(rule, 'Name'), value: xml.requiredText(rule, 'Value') };
  });
}

/** An `<Event>`'s text; an element inside it is MalformedXML. */
function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && node !== null && Object.keys(node).length === 0) return '';
  throw new S3Error('MalformedXML');
}


// ---- rendering ----

/** GetBucketNotificationConfiguration's answer. */
export function renderNotificationConfiguration(config: NotificationConfiguration): string {
  const [topic, queue, fn] = KINDS;
  return renderXml(ROOT, {
    [topic.element]: config.topics.map((t) => targetElement(t, topic.arn)),
    [queue.element]: config.queues.map((t) => targetElement(t, queue.arn)),
    [fn.element]: config.functions.map((t) => targetElement(t, fn.arn)),
    [EVENT_BRIDGE]: config.eventBridge ? {} : undefined,
  });
}

function targetElement(target: NotificationTarget, arnElement: string): XmlElement {
  return { Id: target.id, [arnElement]: target.arn, Event: target.events, Filter: filterElement(target.filter) };
}

function filterElement(filter: KeyFilter): XmlElement | undefined {
  const rules = [
    ...(filter.prefix === undefined ? [] : [{ Name: 'Prefix', Value: filter.prefix }]),
    ...(filter.suffix === undefined ? [] : [{ Name: 'Suffix', Value: filter.suffix }]),
  ];
  return rules.length === 0 ? undefined : { S3Key: { FilterRule: rules } };
}
