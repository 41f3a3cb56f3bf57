import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotificationConfiguration } from '../../../src/core/notifications/NotificationConfiguration.js';
import type { NotificationDraft } from '../../../src/core/notifications/NotificationDraft.js';
import { parseNotificationConfiguration, renderNotificationConfiguration } from '../../../src/s3/xml/shapes/NotificationConfiguration.js';
import { configure, doc, expectS3Error, fn, FUNCTION, MALFORMED, QUEUE, queue, topic, TOPIC } from './support.js';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';
const TAIL = '</NotificationConfiguration>';

describe('NotificationConfiguration XML: parse', () => {
  it('reads every destination kind into a draft, every element as given', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <QueueConfiguration>
    <Id>images</Id>
    <Queue>${QUEUE}</Queue>
    <Event>s3:ObjectCreated:Put</Event>
    <Event>s3:ObjectCreated:CompleteMultipartUpload</Event>
    <Filter>
      <S3Key>
        <FilterRule><Name>prefix</Name><Value>images/</Value></FilterRule>
        <FilterRule><Name>Suffix</Name><Value>.jpg</Value></FilterRule>
      </S3Key>
    </Filter>
  </QueueConfiguration>
  <TopicConfiguration>
    <Topic>${TOPIC}</Topic>
    <Event>s3:ObjectRemoved:*</Event>
  </TopicConfiguration>
  <CloudFunctionConfiguration>
    <Id></Id>
    <CloudFunction>${FUNCTION}</CloudFunction>
    <Event>s3:ObjectTagging:*</Event>
    <Filter><S3Key><FilterRule><Name>suffix</Name><Value></Value></FilterRule></S3Key></Filter>
  </CloudFunctionConfiguration>
  <QueueConfiguration>
    <Queue>${QUEUE}</Queue>
    <Event>s3:ObjectRestore:Completed</Event>
    <Filter/>
  </QueueConfiguration>
  <EventBridgeConfiguration></EventBridgeConfiguration>
</NotificationConfiguration>`;
    const expected: NotificationDraft = {
      topics: [{ arn: TOPIC, events: ['s3:ObjectRemoved:*'], filterRules: [] }],
      queues: [
        {
          id: 'images',
          arn: QUEUE,
          events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:CompleteMultipartUpload'],
          filterRules: [{ name: 'prefix', value: 'images/' }, { name: 'Suffix', value: '.jpg' }],
        },
        { arn: QUEUE, events: ['s3:ObjectRestore:Completed'], filterRules: [] },
      ],
      functions: [{ id: '', arn: FUNCTION, events: ['s3:ObjectTagging:*'], filterRules: [{ name: 'suffix', value: '' }] }],
      eventBridge: true,
    };
    assert.deepEqual(parseNotificationConfiguration(body), expected);
  });

  it('reads an empty document as a draft with nothing (removes every notification)', () => {
    const empty: NotificationDraft = { topics: [], queues: [], functions: [], eventBridge: false };
    assert.deepEqual(parseNotificationConfiguration('<NotificationConfiguration/>'), empty);
    assert.deepEqual(parseNotificationConfiguration(doc()), empty);
    assert.deepEqual(parseNotificationConfiguration(`${doc()}\n`), empty);
  });

  it('keeps filter values as written (spaces, entities)', () => {
    const draft = parseNotificationConfiguration(doc(queue({ rules: [['prefix', ' a&amp;b ']] })));
    assert.deepEqual(draft.queues[0]?.filterRules, [{ name: 'prefix', value: ' a&b ' }]);
  });

  const malformed: ReadonlyArray<[string, string]> = [
    ['an empty body', ''],
    ['not XML', 'not xml'],
    ['another root', '<LifecycleConfiguration/>'],
    ['an unknown top-level element', doc('<Foo/>')],
    ['the deprecated singular QueueConfiguration with Queue and Event misspelt', doc(`<QueueConfiguration><Queue>${QUEUE}</Queue><Events>s3:ObjectCreated:*</Events></QueueConfiguration>`)],
    ['a queue without its Queue', doc('<QueueConfiguration><Event>s3:ObjectCreated:*</Event></QueueConfiguration>')],
    ['a topic with a Queue element', doc(`<TopicConfiguration><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:*</Event></TopicConfiguration>`)],
    ['a function without an Event', doc(`<CloudFunctionConfiguration><CloudFunction>${FUNCTION}</CloudFunction></CloudFunctionConfiguration>`)],
    ['two Queue elements', doc(`<QueueConfiguration><Queue>${QUEUE}</Queue><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>`)],
    ['two Id elements', doc(`<QueueConfiguration><Id>a</Id><Id>b</Id><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>`)],
    ['an Event holding an element', doc(`<QueueConfiguration><Queue>${QUEUE}</Queue><Event><Name>x</Name></Event></QueueConfiguration>`)],
    ['a FilterRule without Value', doc(`<QueueConfiguration><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name></FilterRule></S3Key></Filter></QueueConfiguration>`)],
    ['a FilterRule without Name', doc(`<QueueConfiguration><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Value>a</Value></FilterRule></S3Key></Filter></QueueConfiguration>`)],
    ['a FilterRule without Name and Value', doc(`<QueueConfiguration><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule/></S3Key></Filter></QueueConfiguration>`)],
    ['a Filter with something other than S3Key', doc(`<QueueConfiguration><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:*</Event><Filter><Prefix>a</Prefix></Filter></QueueConfiguration>`)],
    ['two S3Key elements', doc(`<QueueConfiguration><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key/><S3Key/></Filter></QueueConfiguration>`)],
    ['EventBridgeConfiguration with content', doc('<EventBridgeConfiguration><Id>x</Id></EventBridgeConfiguration>')],
    ['two EventBridgeConfiguration elements', doc('<EventBridgeConfiguration/><EventBridgeConfiguration/>')],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY a "b">]>${doc()}`],
  ];
  for (const [name, body] of malformed) {
    it(`refuses ${name}: MalformedXML`, () => expectS3Error(() => parseNotificationConfiguration(body), MALFORMED));
  }
});

describe('NotificationConfiguration XML: render', () => {
  it('writes topics, queues, functions, then EventBridge; rule names as Prefix / Suffix, Prefix first', () => {
    const config: NotificationConfiguration = {
      queues: [{ id: 'q', arn: QUEUE, events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:Copy'], filter: { suffix: '.jpg', prefix: 'images/' } }],
      topics: [{ id: 't', arn: TOPIC, events: ['s3:ObjectRemoved:*'], filter: {} }],
      functions: [{ id: 'f', arn: FUNCTION, events: ['s3:ObjectTagging:Put'], filter: { suffix: '' } }],
      eventBridge: true,
    };
    assert.equal(
      renderNotificationConfiguration(config),
      HEAD +
        `<TopicConfiguration><Id>t</Id><Topic>${TOPIC}</Topic><Event>s3:ObjectRemoved:*</Event></TopicConfiguration>` +
        `<QueueConfiguration><Id>q</Id><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:Put</Event><Event>s3:ObjectCreated:Copy</Event>` +
        '<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>images/</Value></FilterRule><FilterRule><Name>Suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter></QueueConfiguration>' +
        `<CloudFunctionConfiguration><Id>f</Id><CloudFunction>${FUNCTION}</CloudFunction><Event>s3:ObjectTagging:Put</Event>` +
        '<Filter><S3Key><FilterRule><Name>Suffix</Name><Value></Value></FilterRule></S3Key></Filter></CloudFunctionConfiguration>' +
        '<EventBridgeConfiguration></EventBridgeConfiguration>' +
        TAIL,
    );
  });

  it('writes an empty configuration as an empty root', () => {
    assert.equal(renderNotificationConfiguration({ queues: [], topics: [], functions: [], eventBridge: false }), HEAD + TAIL);
  });

  it('escapes values', () => {
    const xml = renderNotificationConfiguration({ queues: [{ id: 'a<b', arn: QUEUE, events: ['s3:ObjectCreated:*'], filter: { prefix: 'x&y' } }], topics: [], functions: [], eventBridge: false });
    assert.ok(xml.includes('<Id>a&lt;b</Id>'));
    assert.ok(xml.includes('<Value>x&amp;y</Value>'));
  });
});

describe('NotificationConfiguration XML: round trip', () => {
  const documents: ReadonlyArray<[string, string]> = [
    ['an empty configuration', doc()],
    ['EventBridge alone', doc('<EventBridgeConfiguration/>')],
    ['one of each kind with filters', doc(topic({ id: 't', events: ['s3:ObjectRemoved:*'], rules: [['prefix', 'a/']] }), queue({ id: 'q', rules: [['suffix', '.z'], ['PREFIX', 'b/']] }), fn({ id: 'f', events: ['s3:ObjectTagging:*', 's3:ObjectAcl:Put'], rules: [['suffix', '']] }), '<EventBridgeConfiguration/>')],
    ['several queues, IDs generated', doc(queue({ events: ['s3:ObjectCreated:Put'] }), queue({ events: ['s3:ObjectCreated:Copy'] }), queue({ events: ['s3:LifecycleExpiration:*'], rules: [['prefix', 'x &amp; y+z']] }))],
  ];
  for (const [name, body] of documents) {
    it(`${name}: render(validate(parse(x))) parses and validates back to the same configuration`, () => {
      const config = configure(body);
      const rendered = renderNotificationConfiguration(config);
      assert.deepEqual(configure(rendered), config);
      assert.equal(renderNotificationConfiguration(configure(rendered)), rendered);
    });
  }
});
