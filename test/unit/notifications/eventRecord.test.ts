import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  eventMessage,
  eventVersionOf,
  sequencerOf,
  testEventMessage,
  type EventInput,
} from '../../../src/core/notifications/eventRecord.js';

const BASE: EventInput = {
  eventName: 's3:ObjectCreated:Put',
  eventTime: new Date('2024-05-06T07:08:09.123Z'),
  awsRegion: 'us-east-1',
  principalId: 'AWS:AIDAJDPLRKLG7UEXAMPLE',
  sourceIPAddress: '203.0.113.9',
  requestId: 'C3D13FE58DE4C810',
  hostId: 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
  configurationId: 'images',
  bucket: { name: 'photos', ownerPrincipalId: 'A3NL1KOZZKExample' },
  object: { key: 'images/red flower.jpg', size: 1024, eTag: '"d41d8cd98f00b204e9800998ecf8427e"', versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko', sequence: 0x55aed6dcd90281e5n },
};

function withEvent(eventName: string, object: Partial<EventInput['object']> = {}): EventInput {
  return { ...BASE, eventName, object: { ...BASE.object, ...object } };
}

describe('eventMessage: golden output', () => {
  it('an ObjectCreated:Put record, exactly as S3 writes it (property order included)', () => {
    const expected = `{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2024-05-06T07:08:09.123Z","eventName":"ObjectCreated:Put","userIdentity":{"principalId":"AWS:AIDAJDPLRKLG7UEXAMPLE"},"requestParameters":{"sourceIPAddress":"203.0.113.9"},"responseElements":{"x-amz-request-id":"C3D13FE58DE4C810","x-amz-id-2":"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},"s3":{"s3SchemaVersion":"1.0","configurationId":"images","bucket":{"name":"photos","ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::photos"},"object":{"key":"images/red+flower.jpg","size":1024,"eTag":"d41d8cd98f00b204e9800998ecf8427e","versionId":"096fKKXTRTtl3on89fVO.nfljtsv6qko","sequencer":"0055AED6DCD90281E5"}}}]}`;
    assert.equal(JSON.stringify(eventMessage(BASE)), expected);
  });

  it('an ObjectRemoved:Delete record in an unversioned bucket: no size, eTag or versionId', () => {
    const message = eventMessage(withEvent('s3:ObjectRemoved:Delete', { versionId: 'null', sequence: 1 }));
    assert.equal(
      JSON.stringify(message.Records[0]?.s3.object),
      '{"key":"images/red+flower.jpg","sequencer":"000000000000000001"}',
    );
    assert.equal(message.Records[0]?.eventName, 'ObjectRemoved:Delete');
    assert.equal(message.Records[0]?.eventVersion, '2.1');
  });

  it('an ObjectRemoved:DeleteMarkerCreated record: the empty ETag, no size', () => {
    const record = eventMessage(withEvent('s3:ObjectRemoved:DeleteMarkerCreated', { size: 0, eTag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: 'dm1', sequence: 2 })).Records[0];
    assert.deepEqual(record?.s3.object, { key: 'images/red+flower.jpg', eTag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: 'dm1', sequencer: '000000000000000002' });
  });

  it('an ObjectTagging:Put record: version 2.3, the ETag, no size and no sequencer', () => {
    const { versionId: _unversioned, ...object } = BASE.object;
    const record = eventMessage({ ...BASE, eventName: 's3:ObjectTagging:Put', object }).Records[0];
    assert.equal(record?.eventVersion, '2.3');
    assert.equal(record?.eventName, 'ObjectTagging:Put');
    assert.equal(JSON.stringify(record?.s3.object), '{"key":"images/red+flower.jpg","eTag":"d41d8cd98f00b204e9800998ecf8427e"}');
  });

  it('an ObjectRestore:Completed record carries glacierEventData', () => {
    const input: EventInput = { ...withEvent('s3:ObjectRestore:Completed'), restore: { expiryTime: new Date('2024-05-09T00:00:00Z'), storageClass: 'GLACIER' } };
    const record = eventMessage(input).Records[0];
    assert.deepEqual(record?.glacierEventData, {
      restoreEventData: { lifecycleRestorationExpiryTime: '2024-05-09T00:00:00.000Z', lifecycleRestoreStorageClass: 'GLACIER' },
    });
    assert.equal(eventMessage({ ...input, eventName: 's3:ObjectRestore:Post' }).Records[0]?.glacierEventData, undefined);
  });

  it('takes a bucket ARN given for another partition', () => {
    const record = eventMessage({ ...BASE, bucket: { ...BASE.bucket, arn: 'arn:aws-cn:s3:::photos' } }).Records[0];
    assert.equal(record?.s3.bucket.arn, 'arn:aws-cn:s3:::photos');
  });

  it('holds exactly one record', () => {
    assert.equal(eventMessage(BASE).Records.length, 1);
  });
});

describe('eventVersionOf', () => {
  const cases: ReadonlyArray<[string, string]> = [
    ['s3:ObjectCreated:Put', '2.1'],
    ['s3:ObjectCreated:CompleteMultipartUpload', '2.1'],
    ['s3:ObjectRemoved:Delete', '2.1'],
    ['s3:ObjectRemoved:DeleteMarkerCreated', '2.1'],
    ['s3:ObjectRestore:Post', '2.1'],
    ['s3:ObjectRestore:Completed', '2.1'],
    ['s3:ReducedRedundancyLostObject', '2.1'],
    ['s3:Replication:OperationFailedReplication', '2.2'],
    ['s3:LifecycleExpiration:Delete', '2.3'],
    ['s3:LifecycleExpiration:DeleteMarkerCreated', '2.3'],
    ['s3:LifecycleTransition', '2.3'],
    ['s3:IntelligentTiering', '2.3'],
    ['s3:ObjectAcl:Put', '2.3'],
    ['s3:ObjectTagging:Put', '2.3'],
    ['s3:ObjectTagging:Delete', '2.3'],
    ['s3:ObjectRestore:Delete', '2.3'],
  ];
  for (const [event, version] of cases) {
    it(`${event} → ${version}`, () => assert.equal(eventVersionOf(event), version));
  }
});

describe('sequencerOf', () => {
  it('is 18 upper-case hex digits', () => {
    assert.equal(sequencerOf(0), '000000000000000000');
    assert.equal(sequencerOf(255), '0000000000000000FF');
    assert.equal(sequencerOf(0x55aed6dcd90281e5n), '0055AED6DCD90281E5');
    assert.equal(sequencerOf(2n ** 64n - 1n), '00FFFFFFFFFFFFFFFF');
  });

  it('orders as strings as the sequence numbers order', () => {
    const numbers = [0n, 1n, 9n, 10n, 15n, 16n, 255n, 256n, 4095n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
    const sequencers = numbers.map(sequencerOf);
    assert.deepEqual([...sequencers].sort(), sequencers);
    assert.equal(new Set(sequencers).size, numbers.length);
  });

  it('refuses a negative or too large sequence number', () => {
    assert.throws(() => sequencerOf(-1), RangeError);
    assert.throws(() => sequencerOf(16n ** 18n), RangeError);
  });
});

describe('testEventMessage', () => {
  it('is the message S3 sends when a configuration is saved (golden)', () => {
    const message = testEventMessage({ time: new Date('2014-10-13T15:57:02.089Z'), bucket: 'bucketname', requestId: '5582815E1AEA5ADF', hostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE' });
    assert.equal(
      JSON.stringify(message),
      '{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2014-10-13T15:57:02.089Z","Bucket":"bucketname","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}',
    );
  });
});
