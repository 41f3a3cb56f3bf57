import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCredential } from '../../../src/s3/auth/sigv4/credentialScope.js';

describe('credential scope', () => {
  const expect = { region: 'us-east-1', services: ['iam'], amzDate: '20261121T120000Z' };
  it('requires the server region for regional services', () => {
    assert.throws(() => parseCredential('AKID/20261121/eu-west-1/iam/aws4_request', 'header', expect), { code: 'AuthorizationHeaderMalformed' });
    assert.throws(() => parseCredential('AKID/20261121//iam/aws4_request', 'header', expect), { code: 'AuthorizationHeaderMalformed' });
  });
  it('accepts any region, even an empty one, for global services (IAM, STS)', () => {
    const global = { ...expect, anyRegion: true };
    assert.equal(parseCredential('AKID/20261121/eu-west-1/iam/aws4_request', 'header', global).region, 'eu-west-1');
    const empty = parseCredential('AKID/20261121//iam/aws4_request', 'header', global);
    assert.equal(empty.region, '');
    assert.equal(empty.scope, '20261121//iam/aws4_request');
    assert.throws(() => parseCredential('AKID/20261121//s3/aws4_request', 'header', global), { code: 'AuthorizationHeaderMalformed' });
    assert.throws(() => parseCredential('/20261121/x/iam/aws4_request', 'header', global), { code: 'AuthorizationHeaderMalformed' });
  });
});
