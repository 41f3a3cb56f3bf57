import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { bucketName } from '../support/names.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createTestBucket } from '../support/buckets.js';
import {
  ASTRAL_LETTER,
  EMOJI,
  HAN,
  expectS3Error,
  manyTags,
  pairs,
  tagSet,
  withBody,
  withoutChecksums,
} from './taggingSupport.js';

/**
 * Object and bucket tagging through the AWS SDK v3, against a real server: PutObjectTagging, GetObjectTagging,
 * DeleteObjectTagging (with and without versionId), the limits and their errors, x-amz-tagging-count, versioned
 * buckets, bucket tagging, and concurrent tag writes. See docs/tagging.md.
 */

let server: TestServer;
let s3: S3Client;

before(async () => {
  server = await startTestServer();
  s3 = server.s3;
});

after(async () => {
  await server.stop();
});

function newBucket(versioning?: 'Enabled' | 'Suspended'): Promise<string> {
  return createTestBucket(s3, 'tag', versioning);
}

async function putObject(bucket: string, key: string, tagging?: string): Promise<string | undefined> {
  const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}`, ...(tagging === undefined ? {} : { Tagging: tagging }) }));
  return out.VersionId;
}

async function getTags(bucket: string, key: string, versionId?: string): Promise<Array<[string, string]>> {
  const out = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, ...(versionId === undefined ? {} : { VersionId: versionId }) }));
  return pairs(out.TagSet);
}

async function putTags(bucket: string, key: string, tags: Tag[], versionId?: string): Promise<string | undefined> {
  const out = await s3.send(
    new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: tags }, ...(versionId === undefined ? {} : { VersionId: versionId }) }),
  );
  return out.VersionId;
}

async function tagCount(bucket: string, key: string, versionId?: string): Promise<{ head: number | undefined; get: number | undefined }> {
  const v = versionId === undefined ? {} : { VersionId: versionId };
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...v }));
  const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...v }));
  await get.Body?.transformToString();
  return { head: head.TagCount, get: get.TagCount };
}

describe('PutObjectTagging / GetObjectTagging / DeleteObjectTagging', () => {
  it('an untagged object has an empty TagSet and no x-amz-tagging-count', async () => {
    const bucket = await newBucket();
    await putObject(bucket, 'plain');
    assert.deepEqual(await getTags(bucket, 'plain'), []);
    assert.deepEqual(await tagCount(bucket, 'plain'), { head: undefined, get: undefined });
  });

  it('puts a set, returns it sorted by key, replaces it whole, and removes it with an empty TagSet', async () => {
    const bucket = await newBucket();
    await putObject(bucket, 'obj');
    const versionId = await putTags(bucket, 'obj', tagSet([['b', '2'], ['C', '3'], ['a', ''], ['a b', 'x y']]));
    assert.equal(versionId, undefined, 'no x-amz-version-id in a bucket that never had versioning');
    assert.deepEqual(await getTags(bucket, 'obj'), [['C', '3'], ['a', ''], ['a b', 'x y'], ['b', '2']]);
    assert.deepEqual(await tagCount(bucket, 'obj'), { head: 4, get: 4 });

    await putTags(bucket, 'obj', tagSet([['k3', 'v3']]));
    assert.deepEqual(await getTags(bucket, 'obj'), [['k3', 'v3']]);
    assert.deepEqual(await tagCount(bucket, 'obj'), { head: 1, get: 1 });

    await putTags(bucket, 'obj', []);
    assert.deepEqual(await getTags(bucket, 'obj'), []);
    assert.deepEqual(await tagCount(bucket, 'obj'), { head: undefined, get: undefined });
  });

  it('DeleteObjectTagging answers 204 and removes every tag', async () => {
    const bucket = await newBucket();
    await putObject(bucket, 'obj', 'a=1&b=2');
    const out = await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'obj' }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    assert.deepEqual(await getTags(bucket, 'obj'), []);
    assert.deepEqual(await tagCount(bucket, 'obj'), { head: undefined, get: undefined });
    // and again: still 204
    assert.equal((await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'obj' }))).$metadata.httpStatusCode, 204);
  });

  it('keeps keys that differ only in case apart', async () => {
    const bucket = await newBucket();
    await putObject(bucket, 'obj');
    await putTags(bucket, 'obj', tagSet([['project', 'b'], ['Project', 'a']]));
    assert.deepEqual(await getTags(bucket, 'obj'), [['Project', 'a'], ['project', 'b']]);
  });

  it('accepts a <Tagging> without TagSet as the empty set (AWS clears the tags)', async () => {
    const bucket = await newBucket();
    await putObject(bucket, 'obj', 'a=1');
    await s3.send(withBody(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'obj', Tagging: { TagSet: [] } }), '<Tagging></Tagging>'));
    assert.deepEqual(await getTags(bucket, 'obj'), []);
  });

  it('overwriting an object drops the old tags (a new version has its own set)', async () => {
    const bucket = await newBucket();
    await putObject(bucket, 'obj', 'a=1');
    await putObject(bucket, 'obj');
    assert.deepEqual(await getTags(bucket, 'obj'), []);
  });
});

describe('tag limits and their errors', () => {
  let bucket: string;
  const key = 'limits';
  const original = tagSet([['keep', 'me']]);

  before(async () => {
    bucket = await newBucket();
    await putObject(bucket, key);
    await putTags(bucket, key, original);
  });

  /** Put `tags`, expect the error, and check the object still has its original set (a rejected request changes nothing). */
  async function rejected(tags: Tag[], expected: Parameters<typeof expectS3Error>[1]): Promise<void> {
    await expectS3Error(putTags(bucket, key, tags), expected);
    assert.deepEqual(await getTags(bucket, key), pairs(original));
  }

  async function accepted(tags: Tag[]): Promise<void> {
    await putTags(bucket, key, tags);
    const expected = pairs(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(await getTags(bucket, key), expected);
    await putTags(bucket, key, original);
  }

  it('accepts 10 tags', () => accepted(manyTags(10)));
  it('rejects 11 tags: 400 BadRequest "Object tags cannot be greater than 10"', () =>
    rejected(manyTags(11), { status: 400, code: 'BadRequest', message: 'Object tags cannot be greater than 10' }));
  it('rejects a repeated key: InvalidTag with <TagKey>', () =>
    rejected(tagSet([['dup', '1'], ['dup', '2']]), {
      status: 400,
      code: 'InvalidTag',
      message: 'Cannot provide multiple Tags with the same key',
      fields: { TagKey: 'dup' },
    }));
  it('accepts a 128-character key and a 256-character value', () => accepted(tagSet([['k'.repeat(128), 'v'.repeat(256)]])));
  it('rejects a 129-character key', () =>
    rejected(tagSet([['k'.repeat(129), 'v']]), {
      status: 400,
      code: 'InvalidTag',
      message: 'The TagKey you have provided is invalid',
      fields: { TagKey: 'k'.repeat(129) },
    }));
  it('rejects a 257-character value, naming key and value', () =>
    rejected(tagSet([['k', 'v'.repeat(257)]]), {
      status: 400,
      code: 'InvalidTag',
      message: 'The TagValue you have provided is invalid',
      fields: { TagKey: 'k', TagValue: 'v'.repeat(257) },
    }));
  it('counts code points: 128 × 中 is a valid key, 256 × 中 a valid value', () => accepted(tagSet([[HAN.repeat(128), HAN.repeat(256)]])));
  it('counts code points: 129 × 中 is too long', () =>
    rejected(tagSet([[HAN.repeat(129), 'v']]), { status: 400, code: 'InvalidTag', message: 'The TagKey you have provided is invalid' }));
  it('counts code points: 128 letters outside the BMP (256 UTF-16 units) are a valid key', () =>
    accepted(tagSet([[ASTRAL_LETTER.repeat(128), ASTRAL_LETTER.repeat(256)]])));
  it('counts code points: 257 letters outside the BMP are too long a value', () =>
    rejected(tagSet([['k', ASTRAL_LETTER.repeat(257)]]), { status: 400, code: 'InvalidTag', message: 'The TagValue you have provided is invalid' }));
  it('rejects an emoji (a symbol, not a letter)', () =>
    rejected(tagSet([[`smile${EMOJI}`, 'v']]), { status: 400, code: 'InvalidTag', message: 'The TagKey you have provided is invalid' }));
  it('accepts letters and digits of any script, spaces and + - = . _ : / @', () =>
    accepted(tagSet([['Ωμέγα 日本語', 'العربية ٣'], ['a+-=._:/@ z', '+-=._:/@ ']])));
  for (const c of ['!', '#', '$', '%', '&', '*', '(', ',', ';', '?', '<', '"', '\\']) {
    it(`rejects ${JSON.stringify(c)} in a key and in a value`, async () => {
      await rejected(tagSet([[`a${c}`, 'v']]), { status: 400, code: 'InvalidTag', message: 'The TagKey you have provided is invalid', fields: { TagKey: `a${c}` } });
      await rejected(tagSet([['k', `a${c}`]]), { status: 400, code: 'InvalidTag', message: 'The TagValue you have provided is invalid', fields: { TagKey: 'k', TagValue: `a${c}` } });
    });
  }
  it('rejects an empty key', () => rejected(tagSet([['', 'v']]), { status: 400, code: 'InvalidTag', message: 'The TagKey you have provided is invalid' }));
  it('accepts an empty value', () => accepted(tagSet([['k', '']])));
  it('rejects keys beginning with aws:', () =>
    rejected(tagSet([['aws:cloudformation:stack', 'x']]), {
      status: 400,
      code: 'InvalidTag',
      message: 'Your TagKey cannot be prefixed with aws:',
      fields: { TagKey: 'aws:cloudformation:stack' },
    }));
  it('rejects a Tag without Value: MalformedXML', async () => {
    const command = withBody(
      new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [] } }),
      '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>',
    );
    await expectS3Error(s3.send(command), { status: 400, code: 'MalformedXML' });
    assert.deepEqual(await getTags(bucket, key), pairs(original));
  });
  it('rejects a Tag without Key: MalformedXML', async () => {
    const command = withBody(
      new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [] } }),
      '<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>',
    );
    await expectS3Error(s3.send(command), { status: 400, code: 'MalformedXML' });
  });
  it('rejects a body that is not XML: MalformedXML', async () => {
    const command = withBody(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [] } }), 'a=1&b=2');
    await expectS3Error(s3.send(command), {
      status: 400,
      code: 'MalformedXML',
      message: 'The XML you provided was not well-formed or did not validate against our published schema',
    });
    assert.deepEqual(await getTags(bucket, key), pairs(original));
  });
});

describe('missing objects, versions and buckets', () => {
  it('NoSuchKey for Put/Get/Delete on a missing key (GetObjectTagging names it bucket/key, as AWS does)', async () => {
    const bucket = await newBucket();
    await expectS3Error(putTags(bucket, 'nope', []), { status: 404, code: 'NoSuchKey', fields: { Key: 'nope' } });
    await expectS3Error(getTags(bucket, 'nope'), { status: 404, code: 'NoSuchKey', fields: { Key: `${bucket}/nope` } });
    await expectS3Error(s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'nope' })), { status: 404, code: 'NoSuchKey' });
  });

  it('NoSuchBucket for every tagging operation on a missing bucket', async () => {
    const bucket = bucketName('missing');
    const expected = { status: 404, code: 'NoSuchBucket', fields: { BucketName: bucket } };
    await expectS3Error(putTags(bucket, 'k', []), expected);
    await expectS3Error(getTags(bucket, 'k'), expected);
    await expectS3Error(s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'k' })), expected);
    await expectS3Error(s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [] } })), expected);
    await expectS3Error(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), expected);
    await expectS3Error(s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket })), expected);
  });

  it('NoSuchVersion for a well-formed version id that does not exist', async () => {
    const bucket = await newBucket('Enabled');
    await putObject(bucket, 'obj');
    const ghost = 'A'.repeat(32);
    const expected = { status: 404, code: 'NoSuchVersion', fields: { VersionId: ghost } };
    await expectS3Error(putTags(bucket, 'obj', tagSet([['a', '1']]), ghost), expected);
    await expectS3Error(getTags(bucket, 'obj', ghost), expected);
    await expectS3Error(s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'obj', VersionId: ghost })), expected);
  });

  it('InvalidArgument for a version id that cannot exist', async () => {
    const bucket = await newBucket('Enabled');
    await putObject(bucket, 'obj');
    await expectS3Error(getTags(bucket, 'obj', 'not-a-version'), {
      status: 400,
      code: 'InvalidArgument',
      message: 'Invalid version id specified',
      fields: { ArgumentName: 'versionId', ArgumentValue: 'not-a-version' },
    });
  });

  it('in a bucket that never had versioning, only the null version can be named', async () => {
    const bucket = await newBucket();
    await putObject(bucket, 'obj', 'a=1');
    assert.deepEqual(await getTags(bucket, 'obj', 'null'), [['a', '1']]);
    await expectS3Error(getTags(bucket, 'obj', 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD'), {
      status: 400,
      code: 'InvalidArgument',
      message: 'Invalid version id specified',
    });
  });
});

describe('versioned buckets', () => {
  it('every version has its own tags; tagging one leaves the others alone', async () => {
    const bucket = await newBucket('Enabled');
    const v1 = await putObject(bucket, 'obj', 'gen=1');
    const v2 = await putObject(bucket, 'obj', 'gen=2&extra=x');
    assert.ok(v1 !== undefined && v2 !== undefined && v1 !== v2);

    // without versionId: the latest version, whose id comes back
    assert.equal(await putTags(bucket, 'obj', tagSet([['latest', 'yes']])), v2);
    const latest = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'obj' }));
    assert.equal(latest.VersionId, v2);
    assert.deepEqual(pairs(latest.TagSet), [['latest', 'yes']]);
    assert.deepEqual(await getTags(bucket, 'obj', v1), [['gen', '1']]);

    // with versionId: only that version
    assert.equal(await putTags(bucket, 'obj', tagSet([['old', 'a'], ['older', 'b']]), v1), v1);
    const first = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'obj', VersionId: v1 }));
    assert.equal(first.VersionId, v1);
    assert.deepEqual(pairs(first.TagSet), [['old', 'a'], ['older', 'b']]);
    assert.deepEqual(await getTags(bucket, 'obj'), [['latest', 'yes']]);

    // x-amz-tagging-count per version
    assert.deepEqual(await tagCount(bucket, 'obj', v1), { head: 2, get: 2 });
    assert.deepEqual(await tagCount(bucket, 'obj', v2), { head: 1, get: 1 });
    assert.deepEqual(await tagCount(bucket, 'obj'), { head: 1, get: 1 });

    // DeleteObjectTagging of one version
    const deleted = await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'obj', VersionId: v1 }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    assert.equal(deleted.VersionId, v1);
    assert.deepEqual(await getTags(bucket, 'obj', v1), []);
    assert.deepEqual(await getTags(bucket, 'obj'), [['latest', 'yes']]);
    assert.deepEqual(await tagCount(bucket, 'obj', v1), { head: undefined, get: undefined });
  });

  it('a delete marker has no tags: 405 MethodNotAllowed, by version id and as the latest version', async () => {
    const bucket = await newBucket('Enabled');
    const v1 = await putObject(bucket, 'obj', 'a=1');
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'obj' }));
    assert.equal(marker.DeleteMarker, true);
    const dm = marker.VersionId;
    assert.ok(dm !== undefined);
    const expected = (method: string) => ({
      status: 405,
      code: 'MethodNotAllowed',
      message: 'The specified method is not allowed against this resource.',
      fields: { Method: method, ResourceType: 'DeleteMarker' },
      headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': dm },
    });
    for (const versionId of [dm, undefined]) {
      await expectS3Error(putTags(bucket, 'obj', tagSet([['b', '2']]), versionId), expected('PUT'));
      await expectS3Error(getTags(bucket, 'obj', versionId), expected('GET'));
      await expectS3Error(
        s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'obj', ...(versionId === undefined ? {} : { VersionId: versionId }) })),
        expected('DELETE'),
      );
    }
    // the version under the marker keeps its tags and can still be tagged
    assert.deepEqual(await getTags(bucket, 'obj', v1), [['a', '1']]);
    await putTags(bucket, 'obj', tagSet([['c', '3']]), v1);
    assert.deepEqual(await getTags(bucket, 'obj', v1), [['c', '3']]);
  });

  it('suspended versioning: the null version has its own tags and is replaced, tags and all, by the next write', async () => {
    const bucket = await newBucket('Enabled');
    const v1 = await putObject(bucket, 'obj', 'gen=v1');
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    await putObject(bucket, 'obj', 'gen=null1');
    assert.deepEqual(await getTags(bucket, 'obj', 'null'), [['gen', 'null1']]);

    await putTags(bucket, 'obj', tagSet([['n', '1']]));
    assert.deepEqual(await getTags(bucket, 'obj', 'null'), [['n', '1']]);
    assert.deepEqual(await getTags(bucket, 'obj', v1), [['gen', 'v1']]);

    // another write in the suspended bucket replaces the null version: its tags go with it
    await putObject(bucket, 'obj', 'gen=null2');
    assert.deepEqual(await getTags(bucket, 'obj', 'null'), [['gen', 'null2']]);
    assert.deepEqual(await getTags(bucket, 'obj', v1), [['gen', 'v1']]);
    assert.deepEqual(await tagCount(bucket, 'obj', 'null'), { head: 1, get: 1 });
  });

  it('an object written before versioning was enabled is the null version, tagged with versionId=null', async () => {
    const bucket = await newBucket();
    await putObject(bucket, 'obj', 'before=1');
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const v2 = await putObject(bucket, 'obj', 'after=1');
    assert.equal(await putTags(bucket, 'obj', tagSet([['null', 'tagged']]), 'null'), 'null');
    assert.deepEqual(await getTags(bucket, 'obj', 'null'), [['null', 'tagged']]);
    assert.deepEqual(await getTags(bucket, 'obj', v2), [['after', '1']]);
  });
});

describe('bucket tagging', () => {
  it('NoSuchTagSet until a set is put; 204 on put and delete; sorted; replaced whole', async () => {
    const bucket = await newBucket();
    await expectS3Error(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), {
      status: 404,
      code: 'NoSuchTagSet',
      message: 'The TagSet does not exist',
      fields: { BucketName: bucket },
    });
    const put = await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tagSet([['team', 'blue'], ['env', ''], ['Env', 'x']]) } }));
    assert.equal(put.$metadata.httpStatusCode, 204);
    assert.deepEqual(pairs((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet), [['Env', 'x'], ['env', ''], ['team', 'blue']]);

    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tagSet([['only', '1']]) } }));
    assert.deepEqual(pairs((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet), [['only', '1']]);

    const deleted = await s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await expectS3Error(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), { status: 404, code: 'NoSuchTagSet' });
    assert.equal((await s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }))).$metadata.httpStatusCode, 204);
  });

  it('an empty TagSet removes the set', async () => {
    const bucket = await newBucket();
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tagSet([['a', '1']]) } }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [] } }));
    await expectS3Error(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), { status: 404, code: 'NoSuchTagSet' });
  });

  it('accepts 50 tags and rejects 51: 400 BadRequest "Bucket tag count cannot be greater than 50"', async () => {
    const bucket = await newBucket();
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: manyTags(50) } }));
    assert.equal((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet?.length, 50);
    await expectS3Error(s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: manyTags(51) } })), {
      status: 400,
      code: 'BadRequest',
      message: 'Bucket tag count cannot be greater than 50',
    });
    assert.equal((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet?.length, 50);
  });

  it('rejects aws: keys, repeated keys and invalid characters with AWS messages', async () => {
    const bucket = await newBucket();
    const put = (tags: Tag[]) => s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tags } }));
    await expectS3Error(put(tagSet([['aws:x', '1']])), {
      status: 400,
      code: 'InvalidTag',
      message: 'System tags cannot be added/updated by requester',
      fields: { TagKey: 'aws:x' },
    });
    await expectS3Error(put(tagSet([['Key1', 'a'], ['Key1', 'b']])), {
      status: 400,
      code: 'InvalidTag',
      message: 'Cannot provide multiple Tags with the same key',
      fields: { TagKey: 'Key1' },
    });
    await expectS3Error(put(tagSet([['Key1,Key2', 'a']])), { status: 400, code: 'InvalidTag', message: 'The TagKey you have provided is invalid', fields: { TagKey: 'Key1,Key2' } });
    await expectS3Error(put(tagSet([['Key1', 'Val1,Val2']])), {
      status: 400,
      code: 'InvalidTag',
      message: 'The TagValue you have provided is invalid',
      fields: { TagKey: 'Key1', TagValue: 'Val1,Val2' },
    });
    await expectS3Error(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), { status: 404, code: 'NoSuchTagSet' });
  });

  it('requires Content-MD5 or a checksum, as AWS does', async () => {
    const bucket = await newBucket();
    await expectS3Error(s3.send(withoutChecksums(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tagSet([['a', '1']]) } }))), {
      status: 400,
      code: 'InvalidRequest',
      message: 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*',
    });
  });
});

describe('access', () => {
  it('another account may not read or write tags (owner-only access rule)', async () => {
    const bucket = await newBucket();
    await putObject(bucket, 'obj', 'a=1');
    const other = server.client(await server.createAccount('tag-outsider'));
    await expectS3Error(other.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'obj' })), { status: 403, code: 'AccessDenied' });
    await expectS3Error(other.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'obj', Tagging: { TagSet: [] } })), {
      status: 403,
      code: 'AccessDenied',
    });
    await expectS3Error(other.send(new GetBucketTaggingCommand({ Bucket: bucket })), { status: 403, code: 'AccessDenied' });
    assert.deepEqual(await getTags(bucket, 'obj'), [['a', '1']]);
  });
});

describe('concurrency', () => {
  it('50 concurrent PutObjectTagging calls leave exactly one of the sets, whole; readers never see a mix', async () => {
    const bucket = await newBucket();
    await putObject(bucket, 'contended');
    await putObject(bucket, 'bystander', 'calm=yes');
    const sets = Array.from({ length: 50 }, (_, i) => Array.from({ length: 10 }, (_, j) => ({ Key: `w${i}-k${j}`, Value: `writer-${i}` })));
    const asKey = (entries: Array<[string, string]>) => JSON.stringify(entries);
    const allowed = new Set(sets.map((set) => asKey(pairs(set).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))));
    allowed.add(asKey([]));

    const observed: Array<Array<[string, string]>> = [];
    const bystander: Array<Array<[string, string]>> = [];
    const writes = sets.map((set) => putTags(bucket, 'contended', set));
    const reads = Array.from({ length: 25 }, async () => {
      observed.push(await getTags(bucket, 'contended'));
      bystander.push(await getTags(bucket, 'bystander'));
    });
    await Promise.all([...writes, ...reads]);

    const final = await getTags(bucket, 'contended');
    assert.equal(final.length, 10);
    assert.ok(allowed.has(asKey(final)), `final set is one writer's whole set: ${asKey(final)}`);
    assert.equal(new Set(final.map(([, v]) => v)).size, 1, 'every tag of the final set comes from one writer');
    for (const seen of observed) assert.ok(allowed.has(asKey(seen)), `a reader saw a mixed set: ${asKey(seen)}`);
    for (const seen of bystander) assert.deepEqual(seen, [['calm', 'yes']]);
    assert.deepEqual(await tagCount(bucket, 'contended'), { head: 10, get: 10 });
  });
});
