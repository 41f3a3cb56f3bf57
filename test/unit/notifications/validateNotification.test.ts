import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_NAMES } from '../../../src/core/notifications/eventNames.js';
import type { NotificationDraft } from '../../../src/core/notifications/NotificationDraft.js';
import { configurationsOverlap, validateNotification } from '../../../src/core/notifications/validateNotification.js';
import { configure, doc, expectS3Error, fn, FUNCTION, QUEUE, QUEUE_2, queue, topic, TOPIC, type ExpectedError } from './support.js';

function argument(message: string, details: Readonly<Record<string, string>> = {}): ExpectedError {
  return { code: 'InvalidArgument', message, details };
}

const OVERLAP = argument('Configurations overlap. Configurations on the same bucket cannot share a common event type.');
const UNABLE = 'Unable to validate the following destination configurations';

describe('validateNotification: accepted configurations', () => {
  const accepted: ReadonlyArray<[string, string]> = [
    ['an empty configuration (removes every notification)', doc()],
    ['EventBridge alone', doc('<EventBridgeConfiguration/>')],
    ['one queue for every created object', doc(queue())],
    ['a topic, a queue and a function on different event types', doc(topic({ events: ['s3:ObjectRemoved:*'] }), queue(), fn({ events: ['s3:ObjectTagging:*'] }))],
    ['every event name S3 publishes, each in its own configuration', doc(...EVENT_NAMES.filter((e) => !e.endsWith(':*')).map((e, i) => queue({ id: `c${i}`, events: [e] })))],
    ['the same event, prefixes that do not overlap', doc(queue({ rules: [['prefix', 'images/']] }), queue({ arn: QUEUE_2, rules: [['prefix', 'logs/']] }))],
    ['the same event, suffixes that do not overlap', doc(queue({ rules: [['suffix', '.jpg']] }), topic({ rules: [['suffix', '.png']] }))],
    ['the same prefix, suffixes that do not overlap', doc(queue({ rules: [['prefix', 'images/'], ['suffix', '.jpg']] }), fn({ rules: [['prefix', 'images/'], ['suffix', '.png']] }))],
    ['Put and Copy in two configurations (no common event type)', doc(queue({ events: ['s3:ObjectCreated:Put'] }), queue({ arn: QUEUE_2, events: ['s3:ObjectCreated:Copy'] }))],
    ['two wildcards of different families', doc(queue({ events: ['s3:ObjectCreated:*'] }), topic({ events: ['s3:ObjectRemoved:*'] }))],
    ['rule names in any letter case', doc(queue({ rules: [['PREFIX', 'a/'], ['sUfFiX', '.txt']] }))],
    ['a rule with an empty value', doc(queue({ rules: [['suffix', '']] }))],
    ['the same event listed twice in one configuration', doc(queue({ events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:Put'] }))],
    ['two configurations with the same destination and disjoint events', doc(queue({ events: ['s3:ObjectCreated:*'] }), queue({ events: ['s3:ObjectRemoved:*'] }))],
  ];
  for (const [name, body] of accepted) {
    it(name, () => {
      assert.doesNotThrow(() => configure(body));
    });
  }
});

describe('validateNotification: the configuration kept', () => {
  it('keeps IDs, ARNs, events in order, filters normalised to prefix/suffix, and EventBridge', () => {
    const config = configure(
      doc(
        topic({ id: 't1', events: ['s3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated'], rules: [['Suffix', '.log'], ['prefix', 'logs/']] }),
        queue({ id: 'q1', rules: [['suffix', '']] }),
        fn({ id: 'f1', events: ['s3:ObjectTagging:*'] }),
        '<EventBridgeConfiguration/>',
      ),
    );
    assert.deepEqual(config, {
      topics: [{ id: 't1', arn: TOPIC, events: ['s3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated'], filter: { prefix: 'logs/', suffix: '.log' } }],
      queues: [{ id: 'q1', arn: QUEUE, events: ['s3:ObjectCreated:*'], filter: { suffix: '' } }],
      functions: [{ id: 'f1', arn: FUNCTION, events: ['s3:ObjectTagging:*'], filter: {} }],
      eventBridge: true,
    });
  });

  it('generates an ID for a configuration sent without one or with an empty one, never one already given', () => {
    const config = configure(doc(queue({ id: 'generated-1', events: ['s3:ObjectCreated:Put'] }), topic({ events: ['s3:ObjectCreated:Copy'] }), fn({ id: '', events: ['s3:ObjectCreated:Post'] })));
    assert.deepEqual(
      [...config.topics, ...config.queues, ...config.functions].map((t) => t.id),
      ['generated-2', 'generated-1', 'generated-3'],
    );
  });

  it('makes a 48-character base64 ID by default, as S3 does', () => {
    const draft: NotificationDraft = { topics: [], queues: [{ arn: QUEUE, events: ['s3:ObjectCreated:*'], filterRules: [] }], functions: [], eventBridge: false };
    const id = validateNotification(draft).queues[0]?.id ?? '';
    assert.match(id, /^[A-Za-z0-9+/]{48}$/);
    assert.match(Buffer.from(id, 'base64').toString(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('validateNotification: rejected configurations (code and message)', () => {
  const rejected: ReadonlyArray<[string, string, ExpectedError]> = [
    // the ARN
    ['a queue ARN that is not an ARN', doc(queue({ arn: 'invalid-queue' })), argument('The ARN could not be parsed', { ArgumentName: 'Queue', ArgumentValue: 'invalid-queue' })],
    ['a topic ARN that is not an ARN', doc(topic({ arn: 'invalid-topic' })), argument('The ARN could not be parsed', { ArgumentName: 'Topic', ArgumentValue: 'invalid-topic' })],
    ['a function ARN that is not an ARN', doc(fn({ arn: 'invalid-queue' })), argument('The ARN could not be parsed', { ArgumentName: 'CloudFunction', ArgumentValue: 'invalid-queue' })],
    ['a queue given an SNS ARN', doc(queue({ arn: TOPIC })), argument('The ARN could not be parsed', { ArgumentName: 'Queue', ArgumentValue: TOPIC })],
    ['an ARN without a resource', doc(queue({ arn: 'arn:aws:sqs:us-east-1:111111111111:' })), argument('The ARN could not be parsed', { ArgumentName: 'Queue', ArgumentValue: 'arn:aws:sqs:us-east-1:111111111111:' })],
    // events
    ['an unknown event', doc(queue({ events: ['notarealeventname'] })), argument('The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: 'notarealeventname' })],
    ['an event in the wrong letter case', doc(queue({ events: ['s3:objectcreated:*'] })), argument('The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: 's3:objectcreated:*' })],
    ['an event without s3:', doc(queue({ events: ['ObjectCreated:Put'] })), argument('The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: 'ObjectCreated:Put' })],
    ['a wildcard S3 does not define', doc(queue({ events: ['s3:*'] })), argument('The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: 's3:*' })],
    ['an unknown event after a known one', doc(queue({ events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:Rename'] })), argument('The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: 's3:ObjectCreated:Rename' })],
    // filter rules
    ['a filter rule named INVALID', doc(queue({ rules: [['INVALID', 'x']] })), argument('filter rule name must be either prefix or suffix', { ArgumentName: 'FilterRule.Name', ArgumentValue: 'INVALID' })],
    ['a filter rule named Prefixes', doc(queue({ rules: [['Prefixes', 'x']] })), argument('filter rule name must be either prefix or suffix', { ArgumentName: 'FilterRule.Name', ArgumentValue: 'Prefixes' })],
    ['two prefix rules', doc(queue({ rules: [['prefix', 'a'], ['Prefix', 'b']] })), argument('Cannot specify more than one prefix rule in a filter.', { ArgumentName: 'FilterRule.Name', ArgumentValue: 'Prefix' })],
    ['two suffix rules', doc(queue({ rules: [['suffix', '.a'], ['prefix', 'p'], ['SUFFIX', '.b']] })), argument('Cannot specify more than one suffix rule in a filter.', { ArgumentName: 'FilterRule.Name', ArgumentValue: 'SUFFIX' })],
    // overlaps
    ['two configurations for the same event, no filters', doc(queue(), queue({ arn: QUEUE_2 })), OVERLAP],
    ['a wildcard and a name of its family', doc(queue({ events: ['s3:ObjectCreated:*'] }), topic({ events: ['s3:ObjectCreated:Put'] })), OVERLAP],
    ['a name and the wildcard of its family (other order)', doc(topic({ events: ['s3:ObjectRemoved:DeleteMarkerCreated'] }), fn({ events: ['s3:ObjectRemoved:*'] })), OVERLAP],
    ['one shared event among others', doc(queue({ events: ['s3:ObjectCreated:Put', 's3:ObjectTagging:Put'] }), queue({ arn: QUEUE_2, events: ['s3:ObjectRemoved:*', 's3:ObjectTagging:*'] })), OVERLAP],
    ['no filter and a prefix', doc(queue(), fn({ rules: [['prefix', 'images/']] })), OVERLAP],
    ['prefixes where one starts with the other', doc(queue({ rules: [['prefix', 'images/']] }), topic({ rules: [['prefix', 'images/2024/']] })), OVERLAP],
    ['suffixes where one ends with the other', doc(queue({ rules: [['suffix', 'jpg']] }), topic({ rules: [['suffix', '.jpg']] })), OVERLAP],
    ['a prefix-only and a suffix-only filter', doc(queue({ rules: [['prefix', 'images/']] }), topic({ rules: [['suffix', '.jpg']] })), OVERLAP],
    ['an empty prefix value and a prefix', doc(queue({ rules: [['prefix', '']] }), topic({ rules: [['prefix', 'a']] })), OVERLAP],
    ['identical filters on the same event', doc(queue({ rules: [['prefix', 'a/'], ['suffix', '.z']] }), topic({ rules: [['suffix', '.z'], ['prefix', 'a/']] })), OVERLAP],
  ];
  for (const [name, body, expected] of rejected) {
    it(name, () => expectS3Error(() => configure(body), expected));
  }
});

describe('validateNotification: destinations (resolveTarget)', () => {
  const only = (...registered: string[]) => (arn: string): boolean => registered.includes(arn);

  it('accepts destinations that resolve, and asks about each one', () => {
    const asked: string[] = [];
    configure(doc(topic({ events: ['s3:ObjectRemoved:*'] }), queue(), fn({ events: ['s3:ObjectTagging:*'] })), {
      resolveTarget: (arn, kind) => {
        asked.push(`${kind} ${arn}`);
        return true;
      },
    });
    assert.deepEqual(asked, [`topic ${TOPIC}`, `queue ${QUEUE}`, `function ${FUNCTION}`]);
  });

  it('lists a queue that does not resolve, numbered even when alone', () => {
    expectS3Error(() => configure(doc(queue()), { resolveTarget: only() }), argument(UNABLE, { ArgumentName1: QUEUE, ArgumentValue1: 'The destination queue does not exist' }));
  });

  it('lists every destination that does not resolve, in S3 order (topics, queues, functions)', () => {
    const body = doc(queue({ events: ['s3:ObjectCreated:*'] }), queue({ arn: QUEUE_2, events: ['s3:ObjectRemoved:*'] }), topic({ events: ['s3:ObjectTagging:*'] }), fn({ events: ['s3:ObjectRestore:*'] }));
    expectS3Error(
      () => configure(body, { resolveTarget: only(QUEUE) }),
      argument(UNABLE, {
        ArgumentName1: TOPIC,
        ArgumentValue1: 'The destination topic does not exist',
        ArgumentName2: QUEUE_2,
        ArgumentValue2: 'The destination queue does not exist',
        ArgumentName3: `${FUNCTION}, null`,
        ArgumentValue3: `Not authorized to invoke function [${FUNCTION}]`,
      }),
    );
  });

  it('checks the form of every configuration before any destination', () => {
    const body = doc(queue({ events: ['s3:ObjectCreated:*'] }), queue({ arn: 'invalid_arn_2', events: ['s3:ObjectRemoved:*'] }));
    expectS3Error(() => configure(body, { resolveTarget: only() }), argument('The ARN could not be parsed', { ArgumentName: 'Queue', ArgumentValue: 'invalid_arn_2' }));
  });

  it('answers an overlap before looking at destinations', () => {
    expectS3Error(() => configure(doc(queue(), queue({ arn: QUEUE_2 })), { resolveTarget: only() }), OVERLAP);
  });

  it('asks nothing about an empty configuration', () => {
    let asked = 0;
    configure(doc(), { resolveTarget: () => (++asked, false) });
    assert.equal(asked, 0);
  });
});

describe('configurationsOverlap', () => {
  const t = (events: string[], filter: { prefix?: string; suffix?: string } = {}) => ({ id: 'x', arn: QUEUE, events, filter });
  const cases: ReadonlyArray<[string, ReturnType<typeof t>, ReturnType<typeof t>, boolean]> = [
    ['same event, no filters', t(['s3:ObjectCreated:Put']), t(['s3:ObjectCreated:Put']), true],
    ['different events', t(['s3:ObjectCreated:Put']), t(['s3:ObjectCreated:Post']), false],
    ['LifecycleExpiration wildcard and Delete', t(['s3:LifecycleExpiration:*']), t(['s3:LifecycleExpiration:Delete']), true],
    ['ObjectRestore wildcard and ObjectRemoved', t(['s3:ObjectRestore:*']), t(['s3:ObjectRemoved:Delete']), false],
    ['prefix a/ and b/', t(['s3:ObjectCreated:*'], { prefix: 'a/' }), t(['s3:ObjectCreated:*'], { prefix: 'b/' }), false],
    ['prefix a/ and a/b/', t(['s3:ObjectCreated:*'], { prefix: 'a/b/' }), t(['s3:ObjectCreated:*'], { prefix: 'a/' }), true],
    ['same prefix, suffixes .a and .b', t(['s3:ObjectCreated:*'], { prefix: 'p', suffix: '.a' }), t(['s3:ObjectCreated:*'], { prefix: 'p', suffix: '.b' }), false],
    ['different prefixes, same suffix', t(['s3:ObjectCreated:*'], { prefix: 'p/', suffix: '.a' }), t(['s3:ObjectCreated:*'], { prefix: 'q/', suffix: '.a' }), false],
  ];
  for (const [name, a, b, expected] of cases) {
    it(name, () => {
      assert.equal(configurationsOverlap(a, b), expected);
      assert.equal(configurationsOverlap(b, a), expected);
    });
  }
});
