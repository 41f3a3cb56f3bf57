import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventCovers } from '../../../src/core/notifications/eventNames.js';
import { encodeEventKey } from '../../../src/core/notifications/eventKey.js';
import { matchingConfigurations } from '../../../src/core/notifications/matchEvent.js';
import { configure, doc, fn, queue, topic } from './support.js';

describe('eventCovers', () => {
  const cases: ReadonlyArray<[string, string, boolean]> = [
    ['s3:ObjectCreated:*', 's3:ObjectCreated:Put', true],
    ['s3:ObjectCreated:*', 's3:ObjectCreated:CompleteMultipartUpload', true],
    ['s3:ObjectCreated:Put', 's3:ObjectCreated:Put', true],
    ['s3:ObjectCreated:Put', 's3:ObjectCreated:Post', false],
    ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete', false],
    ['s3:ObjectRemoved:*', 's3:ObjectRemoved:DeleteMarkerCreated', true],
    ['s3:LifecycleExpiration:*', 's3:LifecycleExpiration:Delete', true],
    ['s3:LifecycleExpiration:*', 's3:LifecycleTransition', false],
    ['s3:ObjectRestore:*', 's3:ObjectRestore:Completed', true],
    ['s3:ObjectTagging:*', 's3:ObjectTagging:Delete', true],
    ['s3:Replication:*', 's3:Replication:OperationFailedReplication', true],
    ['s3:LifecycleTransition', 's3:LifecycleTransition', true],
    ['s3:ObjectCreated:*', 's3:ObjectCreatedX:Put', false],
  ];
  for (const [configured, occurred, expected] of cases) {
    it(`${configured} ${expected ? 'covers' : 'does not cover'} ${occurred}`, () => assert.equal(eventCovers(configured, occurred), expected));
  }
});

describe('encodeEventKey', () => {
  const cases: ReadonlyArray<[string, string]> = [
    ['HappyFace.jpg', 'HappyFace.jpg'],
    ['red flower.jpg', 'red+flower.jpg'],
    ['a@b', 'a%40b'],
    ['photos/2024/a b.jpg', 'photos/2024/a+b.jpg'],
    ['c++/x=1&y=2?', 'c%2B%2B/x%3D1%26y%3D2%3F'],
    ['(1) copy.txt', '%281%29+copy.txt'],
    ['dt=2018-05-04/_SUCCESS', 'dt%3D2018-05-04/_SUCCESS'],
    ['test/10:47:07.log', 'test/10%3A47%3A07.log'],
    ["a~b!c'd*e", "a%7Eb%21c%27d*e"],
    ['中文', '%E4%B8%AD%E6%96%87'],
    ['emoji 😀', 'emoji+%F0%9F%98%80'],
    ['100%', '100%25'],
  ];
  for (const [key, expected] of cases) {
    it(`${JSON.stringify(key)} → ${expected}`, () => assert.equal(encodeEventKey(key), expected));
  }
});

describe('matchingConfigurations', () => {
  const config = configure(
    doc(
      topic({ id: 'removed', events: ['s3:ObjectRemoved:*'] }),
      queue({ id: 'images-jpg', events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:Copy'], rules: [['prefix', 'images/'], ['suffix', '.jpg']] }),
      queue({ id: 'images-png', events: ['s3:ObjectCreated:*'], rules: [['prefix', 'images/'], ['suffix', '.png']] }),
      fn({ id: 'logs', events: ['s3:ObjectCreated:*'], rules: [['prefix', 'logs/']] }),
      fn({ id: 'spaced', events: ['s3:ObjectCreated:*'], rules: [['prefix', 'my+docs/']] }),
      queue({ id: 'tagging', events: ['s3:ObjectTagging:*'], rules: [['suffix', '']] }),
      '<EventBridgeConfiguration/>',
    ),
  );
  const cases: ReadonlyArray<[string, string, string, readonly string[]]> = [
    ['a jpg put under images/', 's3:ObjectCreated:Put', 'images/cat.jpg', ['images-jpg']],
    ['a jpg copied under images/', 's3:ObjectCreated:Copy', 'images/cat.jpg', ['images-jpg']],
    ['a jpg posted under images/ (Post not configured)', 's3:ObjectCreated:Post', 'images/cat.jpg', []],
    ['a png completed under images/ (wildcard)', 's3:ObjectCreated:CompleteMultipartUpload', 'images/a/b.png', ['images-png']],
    ['a gif under images/', 's3:ObjectCreated:Put', 'images/cat.gif', []],
    ['a jpg outside images/', 's3:ObjectCreated:Put', 'cat.jpg', []],
    ['a log', 's3:ObjectCreated:Put', 'logs/2024/01.txt', ['logs']],
    ['a delete anywhere', 's3:ObjectRemoved:Delete', 'images/cat.jpg', ['removed']],
    ['a delete marker anywhere', 's3:ObjectRemoved:DeleteMarkerCreated', 'x', ['removed']],
    ['a tagging event (empty suffix matches every key)', 's3:ObjectTagging:Put', 'anything', ['tagging']],
    ['an event nobody configured', 's3:LifecycleTransition', 'logs/x', []],
    ['a key with a space, matched on its encoded form', 's3:ObjectCreated:Put', 'my docs/a.txt', ['spaced']],
    ['the literal + in a key is not a space', 's3:ObjectCreated:Put', 'my+docs/a.txt', []],
  ];
  for (const [name, event, key, expected] of cases) {
    it(name, () => {
      assert.deepEqual(matchingConfigurations(config, event, key).map(({ target }) => target.id), expected);
    });
  }

  it('answers the kind of each destination, topics first', () => {
    const both = configure(doc(queue({ id: 'q', events: ['s3:ObjectCreated:Put'] }), topic({ id: 't', events: ['s3:ObjectCreated:Copy'] }), fn({ id: 'f', events: ['s3:ObjectCreated:Post'] })));
    const kinds = ['s3:ObjectCreated:Put', 's3:ObjectCreated:Copy', 's3:ObjectCreated:Post'].flatMap((e) =>
      matchingConfigurations(both, e, 'k').map(({ kind, target }) => `${kind}:${target.id}`),
    );
    assert.deepEqual(kinds, ['queue:q', 'topic:t', 'function:f']);
  });

  it('matches nothing in an empty configuration', () => {
    assert.deepEqual(matchingConfigurations(configure(doc()), 's3:ObjectCreated:Put', 'k'), []);
  });
});
