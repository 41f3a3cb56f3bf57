import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IamError } from '../../../src/errors/IamError.js';
import { IAM_XMLNS, renderError, renderResult, STS_XMLNS } from '../../../src/iam/wire/render.js';
import { accessKeyXml, pagedXml, userXml } from '../../../src/iam/wire/shapes.js';

const T = new Date('2024-05-01T12:00:00.123Z');

void describe('IAM/STS XML shapes (golden)', () => {
  void it('CreateUserResponse with tags', () => {
    const user = { accountId: '123456789012', userName: 'Bob', userId: 'AIDAEXAMPLEEXAMPLE01', path: '/', createdAt: T, tags: [{ key: 'team', value: 'a&b' }] };
    assert.equal(
      renderResult('CreateUser', { User: userXml(user) }, 'req-1', IAM_XMLNS),
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult><User><Path>/</Path>' +
        '<UserName>Bob</UserName><UserId>AIDAEXAMPLEEXAMPLE01</UserId><Arn>arn:aws:iam::123456789012:user/Bob</Arn>' +
        '<CreateDate>2024-05-01T12:00:00Z</CreateDate><Tags><member><Key>team</Key><Value>a&amp;b</Value></member></Tags>' +
        '</User></CreateUserResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateUserResponse>',
    );
  });

  void it('an action without output has only ResponseMetadata', () => {
    assert.equal(
      renderResult('DeleteUser', undefined, 'r', IAM_XMLNS),
      '<?xml version="1.0" encoding="UTF-8"?>\n<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">' +
        '<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>',
    );
  });

  void it('list results: members, IsTruncated, Marker; an empty list is an empty element', () => {
    const key = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'hidden', accountId: '123456789012', status: 'Active' as const, createdAt: T };
    assert.equal(
      renderResult('ListAccessKeys', pagedXml('AccessKeyMetadata', [accessKeyXml('bob', key, false)], 'bmV4dA'), 'r', IAM_XMLNS),
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListAccessKeysResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">' +
        '<ListAccessKeysResult><AccessKeyMetadata><member><UserName>bob</UserName><AccessKeyId>AKIAEXAMPLE</AccessKeyId>' +
        '<Status>Active</Status><CreateDate>2024-05-01T12:00:00Z</CreateDate></member></AccessKeyMetadata>' +
        '<IsTruncated>true</IsTruncated><Marker>bmV4dA</Marker></ListAccessKeysResult>' +
        '<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListAccessKeysResponse>',
    );
    assert.match(renderResult('ListUsers', pagedXml('Users', [], undefined), 'r', IAM_XMLNS), /<ListUsersResult><Users><\/Users><IsTruncated>false<\/IsTruncated><\/ListUsersResult>/);
  });

  void it('ErrorResponse envelope (IAM and STS namespaces)', () => {
    assert.equal(
      renderError(new IamError('NoSuchEntity', 'The user with name x cannot be found.'), 'r9', IAM_XMLNS),
      '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error>' +
        '<Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name x cannot be found.</Message></Error>' +
        '<RequestId>r9</RequestId></ErrorResponse>',
    );
    assert.match(renderError(new IamError('ServiceFailure'), 'r', STS_XMLNS), /^<\?xml[^>]*>\n<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Receiver<\/Type><Code>ServiceFailure<\/Code>/);
  });

  void it('error statuses come from the IAM catalogue', () => {
    assert.equal(new IamError('NoSuchEntity').status, 404);
    assert.equal(new IamError('EntityAlreadyExists').status, 409);
    assert.equal(new IamError('DeleteConflict').status, 409);
    assert.equal(new IamError('LimitExceeded').status, 409);
    assert.equal(new IamError('MalformedPolicyDocument').status, 400);
    assert.equal(new IamError('AccessDenied').status, 403);
  });
});
