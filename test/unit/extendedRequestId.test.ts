import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extendedRequestId } from '../../src/http/server.js';
import { newRequestId } from '../../src/http/parseRequest.js';

describe('x-amz-id-2', () => {
  it('is the base64 of the request id and the host part, one per request id, whatever was made before', () => {
    const first = newRequestId();
    const id2 = extendedRequestId(first);
    const bytes = Buffer.from(id2, 'base64');
    assert.equal(bytes.subarray(0, 16).toString('latin1'), first);
    const host = bytes.subarray(16);
    assert.equal(host.length, 16);
    const seen = new Set([id2]);
    for (let i = 0; i < 100; i++) {
      const id = newRequestId();
      const next = extendedRequestId(id);
      assert.deepEqual(Buffer.from(next, 'base64'), Buffer.concat([Buffer.from(id, 'latin1'), host]));
      seen.add(next);
    }
    assert.equal(seen.size, 101);
    assert.equal(extendedRequestId(first), id2);
  });

  it('takes request ids of any length', () => {
    for (const id of ['', 'ABC', 'TESTREQUEST', '0123456789ABCDEF0', 'ÿ'.repeat(16)]) {
      const bytes = Buffer.from(extendedRequestId(id), 'base64');
      assert.deepEqual(bytes.subarray(0, bytes.length - 16), Buffer.from(id, 'latin1'));
    }
  });
});
