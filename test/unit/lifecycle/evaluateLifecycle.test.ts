import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VersioningState } from '../../../src/core/buckets/Bucket.js';
import {
  evaluateLifecycle,
  type LifecycleContext,
  type LifecycleEvaluation,
  type VersionFacts,
} from '../../../src/core/lifecycle/evaluateLifecycle.js';
import { ruleApplies } from '../../../src/core/lifecycle/ruleMatch.js';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { rulesOf } from './support.js';

const CREATED = new Date('2026-01-15T10:30:00Z');
const MB = 1024 * 1024;

function version(overrides: Partial<VersionFacts> = {}): VersionFacts {
  return {
    key: 'logs/app.log',
    size: MB,
    tags: [],
    lastModified: CREATED,
    storageClass: 'STANDARD',
    isLatest: true,
    isDeleteMarker: false,
    newerNoncurrentVersions: 0,
    noncurrentVersions: 0,
    ...overrides,
  };
}

function context(now: string, versioning: VersioningState = 'Enabled', extra: Partial<LifecycleContext> = {}): LifecycleContext {
  return { now: new Date(now), versioning, ...extra };
}

/** A V2 rule with an ID, a filter (empty unless given) and Enabled. */
function rule(id: string, body: string, filter = '<Filter/>'): string {
  return `<ID>${id}</ID>${filter}<Status>Enabled</Status>${body}`;
}

/** The evaluation in a compact form: `kind[:effect|class]@iso by rule`. */
function summary(e: LifecycleEvaluation): { due: string | undefined; upcoming: string[] } {
  const line = (s: LifecycleEvaluation['upcoming'][number]): string => {
    const a = s.action;
    const what = a.kind === 'expireCurrent' ? `expireCurrent:${a.effect}` : a.kind === 'transition' ? `transition:${a.storageClass}${a.noncurrent ? ':noncurrent' : ''}` : a.kind;
    return `${what}@${s.dueAt.toISOString()} by ${s.ruleId}`;
  };
  return { due: e.due === undefined ? undefined : line(e.due), upcoming: e.upcoming.map(line) };
}

const tags = (...pairs: string[]): Tag[] => pairs.map((p) => ({ key: p.split('=')[0] ?? '', value: p.split('=')[1] ?? '' }));

describe('filters: which objects a rule applies to', () => {
  const cases: ReadonlyArray<[string, string, Partial<VersionFacts>, boolean]> = [
    // [name, filter, object, applies]
    ['an empty filter: every object', '<Filter/>', { key: 'anything' }, true],
    ['a prefix the key starts with', '<Filter><Prefix>logs/</Prefix></Filter>', { key: 'logs/a' }, true],
    ['a prefix the key does not start with', '<Filter><Prefix>logs/</Prefix></Filter>', { key: 'log/a' }, false],
    ['prefixes are case-sensitive', '<Filter><Prefix>Logs/</Prefix></Filter>', { key: 'logs/a' }, false],
    ['a tag with its value', '<Filter><Tag><Key>class</Key><Value>debug</Value></Tag></Filter>', { tags: tags('class=debug', 'team=a') }, true],
    ['a tag with another value', '<Filter><Tag><Key>class</Key><Value>debug</Value></Tag></Filter>', { tags: tags('class=keep') }, false],
    ['a tag the object does not have', '<Filter><Tag><Key>class</Key><Value>debug</Value></Tag></Filter>', { tags: [] }, false],
    ['a tag with no Value wants the empty value', '<Filter><Tag><Key>flag</Key></Tag></Filter>', { tags: tags('flag=') }, true],
    ['… and not any value', '<Filter><Tag><Key>flag</Key></Tag></Filter>', { tags: tags('flag=on') }, false],
    ['ObjectSizeGreaterThan is exclusive', '<Filter><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan></Filter>', { size: 100 }, false],
    ['ObjectSizeGreaterThan', '<Filter><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan></Filter>', { size: 101 }, true],
    ['ObjectSizeLessThan is exclusive', '<Filter><ObjectSizeLessThan>100</ObjectSizeLessThan></Filter>', { size: 100 }, false],
    ['ObjectSizeLessThan', '<Filter><ObjectSizeLessThan>100</ObjectSizeLessThan></Filter>', { size: 99 }, true],
    [
      'And: prefix, tags and a size range, all holding',
      '<Filter><And><Prefix>logs/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>20</ObjectSizeLessThan></And></Filter>',
      { key: 'logs/x', tags: tags('a=1', 'b=2', 'c=3'), size: 15 },
      true,
    ],
    [
      'And: one of two tags differs',
      '<Filter><And><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></And></Filter>',
      { tags: tags('a=1', 'b=3') },
      false,
    ],
    [
      'And: the size is out of range',
      '<Filter><And><Prefix>logs/</Prefix><ObjectSizeLessThan>20</ObjectSizeLessThan></And></Filter>',
      { key: 'logs/x', size: 20 },
      false,
    ],
  ];
  for (const [name, filter, facts, applies] of cases) {
    it(`${name}: ${applies ? 'applies' : 'does not apply'}`, () => {
      const [r] = rulesOf(rule('r', '<Expiration><Days>1</Days></Expiration>', filter));
      assert.equal(ruleApplies(r!, version(facts)), applies);
    });
  }
  it('a V1 rule-level prefix', () => {
    const [r] = rulesOf('<ID>v1</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>');
    assert.equal(ruleApplies(r!, version({ key: 'logs/a' })), true);
    assert.equal(ruleApplies(r!, version({ key: 'docs/a' })), false);
  });
  it('a Disabled rule applies to nothing', () => {
    const [r] = rulesOf('<ID>off</ID><Filter/><Status>Disabled</Status><Expiration><Days>1</Days></Expiration>');
    assert.equal(ruleApplies(r!, version()), false);
  });
});

describe('evaluateLifecycle: the current version expires', () => {
  const threeDays = rulesOf(rule('three-days', '<Expiration><Days>3</Days></Expiration>'));
  const cases: ReadonlyArray<[string, VersioningState, string, ReturnType<typeof summary>]> = [
    [
      'unversioned, the day before: deletion is upcoming',
      'Unversioned',
      '2026-01-18T23:59:59Z',
      { due: undefined, upcoming: ['expireCurrent:delete@2026-01-19T00:00:00.000Z by three-days'] },
    ],
    ['unversioned, at midnight: the object is deleted', 'Unversioned', '2026-01-19T00:00:00Z', { due: 'expireCurrent:delete@2026-01-19T00:00:00.000Z by three-days', upcoming: [] }],
    ['versioned: a delete marker', 'Enabled', '2026-01-20T00:00:00Z', { due: 'expireCurrent:deleteMarker@2026-01-19T00:00:00.000Z by three-days', upcoming: [] }],
    ['suspended: a (null) delete marker', 'Suspended', '2026-01-20T00:00:00Z', { due: 'expireCurrent:deleteMarker@2026-01-19T00:00:00.000Z by three-days', upcoming: [] }],
  ];
  for (const [name, versioning, now, expected] of cases) {
    it(name, () => {
      assert.deepEqual(summary(evaluateLifecycle(threeDays, version(), context(now, versioning))), expected);
    });
  }

  it('by Date: due on the date, and still due after it, for objects created later too', () => {
    const rules = rulesOf(rule('date', '<Expiration><Date>2026-01-01T00:00:00Z</Date></Expiration>'));
    assert.deepEqual(summary(evaluateLifecycle(rules, version(), context('2026-01-16T00:00:00Z', 'Unversioned'))), {
      due: 'expireCurrent:delete@2026-01-01T00:00:00.000Z by date',
      upcoming: [],
    });
  });

  it('two rules expiring one object: the shorter is honoured, listed once', () => {
    const rules = rulesOf(rule('thirty', '<Expiration><Days>30</Days></Expiration>'), rule('ten', '<Expiration><Days>10</Days></Expiration>', '<Filter><Prefix>logs/</Prefix></Filter>'));
    assert.deepEqual(summary(evaluateLifecycle(rules, version(), context('2026-01-16T00:00:00Z', 'Unversioned'))), {
      due: undefined,
      upcoming: ['expireCurrent:delete@2026-01-26T00:00:00.000Z by ten'],
    });
  });

  it('a tag change moves the object into and out of a tag rule', () => {
    const rules = rulesOf(rule('debug-logs', '<Expiration><Days>1</Days></Expiration>', '<Filter><Tag><Key>class</Key><Value>debug</Value></Tag></Filter>'));
    const now = context('2026-02-01T00:00:00Z', 'Unversioned');
    assert.equal(evaluateLifecycle(rules, version({ tags: tags('class=keep') }), now).due, undefined);
    assert.equal(evaluateLifecycle(rules, version({ tags: tags('class=debug') }), now).due?.ruleId, 'debug-logs');
    assert.equal(evaluateLifecycle(rules, version({ tags: [] }), now).due, undefined);
  });

  it('a Disabled rule does nothing', () => {
    const rules = rulesOf('<ID>off</ID><Filter/><Status>Disabled</Status><Expiration><Days>1</Days></Expiration>');
    assert.deepEqual(summary(evaluateLifecycle(rules, version(), context('2027-01-01T00:00:00Z'))), { due: undefined, upcoming: [] });
  });

  it('with a 10-second test day', () => {
    const rules = rulesOf(rule('fast', '<Expiration><Days>2</Days></Expiration>'));
    const v = version({ lastModified: new Date(1_000) });
    // 1 s + 2 × 10 s = 21 s, rounded up to 30 s
    assert.equal(evaluateLifecycle(rules, v, context(new Date(29_999).toISOString(), 'Unversioned', { dayMs: 10_000 })).due, undefined);
    assert.equal(evaluateLifecycle(rules, v, context(new Date(30_000).toISOString(), 'Unversioned', { dayMs: 10_000 })).due?.dueAt.getTime(), 30_000);
  });
});

describe('evaluateLifecycle: transitions and precedence', () => {
  const waterfall = rulesOf(
    rule(
      'tiers',
      '<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>120</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>365</Days></Expiration>',
    ),
  );
  const cases: ReadonlyArray<[string, Partial<VersionFacts>, VersioningState, string, ReturnType<typeof summary>]> = [
    [
      'before any: all upcoming, soonest first',
      {},
      'Enabled',
      '2026-01-16T00:00:00Z',
      {
        due: undefined,
        upcoming: [
          'transition:STANDARD_IA@2026-02-15T00:00:00.000Z by tiers',
          'transition:GLACIER@2026-05-16T00:00:00.000Z by tiers',
          'expireCurrent:deleteMarker@2027-01-16T00:00:00.000Z by tiers',
        ],
      },
    ],
    [
      'STANDARD_IA due',
      {},
      'Enabled',
      '2026-02-15T00:00:00Z',
      { due: 'transition:STANDARD_IA@2026-02-15T00:00:00.000Z by tiers', upcoming: ['transition:GLACIER@2026-05-16T00:00:00.000Z by tiers', 'expireCurrent:deleteMarker@2027-01-16T00:00:00.000Z by tiers'] },
    ],
    [
      'both transitions due: the colder class',
      {},
      'Enabled',
      '2026-06-01T00:00:00Z',
      { due: 'transition:GLACIER@2026-05-16T00:00:00.000Z by tiers', upcoming: ['expireCurrent:deleteMarker@2027-01-16T00:00:00.000Z by tiers'] },
    ],
    [
      'versioned, transition and expiration due: transition before a delete marker',
      {},
      'Enabled',
      '2027-02-01T00:00:00Z',
      { due: 'transition:GLACIER@2026-05-16T00:00:00.000Z by tiers', upcoming: [] },
    ],
    [
      'unversioned, transition and expiration due: permanent deletion first',
      {},
      'Unversioned',
      '2027-02-01T00:00:00Z',
      { due: 'expireCurrent:delete@2027-01-16T00:00:00.000Z by tiers', upcoming: [] },
    ],
    [
      'already in GLACIER: no transition back up or to the same class',
      { storageClass: 'GLACIER' },
      'Enabled',
      '2026-06-01T00:00:00Z',
      { due: undefined, upcoming: ['expireCurrent:deleteMarker@2027-01-16T00:00:00.000Z by tiers'] },
    ],
    [
      'in STANDARD_IA: on to GLACIER',
      { storageClass: 'STANDARD_IA' },
      'Enabled',
      '2026-06-01T00:00:00Z',
      { due: 'transition:GLACIER@2026-05-16T00:00:00.000Z by tiers', upcoming: ['expireCurrent:deleteMarker@2027-01-16T00:00:00.000Z by tiers'] },
    ],
    [
      'smaller than 128 KB: no transition by default',
      { size: 128 * 1024 - 1 },
      'Enabled',
      '2026-06-01T00:00:00Z',
      { due: undefined, upcoming: ['expireCurrent:deleteMarker@2027-01-16T00:00:00.000Z by tiers'] },
    ],
    [
      'exactly 128 KB: transitions',
      { size: 128 * 1024 },
      'Enabled',
      '2026-06-01T00:00:00Z',
      { due: 'transition:GLACIER@2026-05-16T00:00:00.000Z by tiers', upcoming: ['expireCurrent:deleteMarker@2027-01-16T00:00:00.000Z by tiers'] },
    ],
  ];
  for (const [name, facts, versioning, now, expected] of cases) {
    it(name, () => {
      assert.deepEqual(summary(evaluateLifecycle(waterfall, version(facts), context(now, versioning))), expected);
    });
  }

  it('varies_by_storage_class: a small object still goes to GLACIER, not to STANDARD_IA', () => {
    const small = version({ size: 1024 });
    const c = context('2026-03-01T00:00:00Z', 'Enabled', { transitionMinimumSize: 'varies_by_storage_class' });
    assert.deepEqual(summary(evaluateLifecycle(waterfall, small, c)), {
      due: undefined,
      upcoming: ['transition:GLACIER@2026-05-16T00:00:00.000Z by tiers', 'expireCurrent:deleteMarker@2027-01-16T00:00:00.000Z by tiers'],
    });
  });

  it('a rule with a size condition sets its own minimum', () => {
    const rules = rulesOf(rule('tiny', '<Transition><Days>0</Days><StorageClass>GLACIER_IR</StorageClass></Transition>', '<Filter><ObjectSizeGreaterThan>0</ObjectSizeGreaterThan></Filter>'));
    assert.equal(evaluateLifecycle(rules, version({ size: 10 }), context('2026-01-16T00:00:00Z')).due?.ruleId, 'tiny');
  });

  it('Days 0: due at the midnight after creation', () => {
    const rules = rulesOf(rule('now', '<Transition><Days>0</Days><StorageClass>GLACIER</StorageClass></Transition>'));
    assert.deepEqual(summary(evaluateLifecycle(rules, version(), context('2026-01-16T00:00:00Z'))), { due: 'transition:GLACIER@2026-01-16T00:00:00.000Z by now', upcoming: [] });
  });
});

describe('evaluateLifecycle: noncurrent versions', () => {
  const SINCE = new Date('2026-02-01T12:00:00Z');
  const noncurrent = (overrides: Partial<VersionFacts> = {}): VersionFacts =>
    version({ isLatest: false, noncurrentSince: SINCE, ...overrides });

  it('NoncurrentDays count from when the version became noncurrent', () => {
    const rules = rulesOf(rule('old', '<NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionExpiration><Expiration><Days>1</Days></Expiration>'));
    // Feb 1 12:00 + 30 days = Mar 3 12:00, rounded up; the current-version Expiration does not touch it
    assert.deepEqual(summary(evaluateLifecycle(rules, noncurrent(), context('2026-03-03T23:00:00Z'))), {
      due: undefined,
      upcoming: ['expireNoncurrent@2026-03-04T00:00:00.000Z by old'],
    });
    assert.equal(evaluateLifecycle(rules, noncurrent(), context('2026-03-04T00:00:00Z')).due?.action.kind, 'expireNoncurrent');
  });

  it('NewerNoncurrentVersions 5 keeps the 5 newest noncurrent versions (s3-tests: 6 of 10 versions stay)', () => {
    const rules = rulesOf(
      rule('keep-5', '<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>5</NewerNoncurrentVersions></NoncurrentVersionExpiration>'),
    );
    const later = context('2026-06-01T00:00:00Z');
    const expired = Array.from({ length: 9 }, (_, newer) => evaluateLifecycle(rules, noncurrent({ newerNoncurrentVersions: newer }), later).due !== undefined);
    assert.deepEqual(expired, [false, false, false, false, false, true, true, true, true]);
    // the current version is never touched by it
    assert.equal(evaluateLifecycle(rules, version({ noncurrentVersions: 9 }), later).due, undefined);
  });

  it('both NoncurrentDays and NewerNoncurrentVersions must be exceeded', () => {
    const rules = rulesOf(
      rule('both', '<NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>'),
    );
    assert.equal(evaluateLifecycle(rules, noncurrent({ newerNoncurrentVersions: 3 }), context('2026-02-10T00:00:00Z')).due, undefined);
    assert.equal(evaluateLifecycle(rules, noncurrent({ newerNoncurrentVersions: 0 }), context('2026-12-01T00:00:00Z')).due, undefined);
    assert.equal(evaluateLifecycle(rules, noncurrent({ newerNoncurrentVersions: 1 }), context('2026-12-01T00:00:00Z')).due?.ruleId, 'both');
  });

  it('NoncurrentVersionTransition, then NoncurrentVersionExpiration first when both are due', () => {
    const rules = rulesOf(
      rule(
        'nc',
        '<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition><NoncurrentVersionExpiration><NoncurrentDays>60</NoncurrentDays></NoncurrentVersionExpiration>',
      ),
    );
    assert.deepEqual(summary(evaluateLifecycle(rules, noncurrent(), context('2026-03-10T00:00:00Z'))), {
      due: 'transition:GLACIER:noncurrent@2026-03-04T00:00:00.000Z by nc',
      upcoming: ['expireNoncurrent@2026-04-03T00:00:00.000Z by nc'],
    });
    assert.equal(evaluateLifecycle(rules, noncurrent(), context('2026-05-01T00:00:00Z')).due?.action.kind, 'expireNoncurrent');
  });

  it('a noncurrent delete marker is expired, never transitioned', () => {
    const rules = rulesOf(
      rule(
        'nc',
        '<NoncurrentVersionTransition><NoncurrentDays>0</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition><NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration>',
        '<Filter><ObjectSizeLessThan>1</ObjectSizeLessThan></Filter>',
      ),
    );
    assert.deepEqual(summary(evaluateLifecycle(rules, noncurrent({ isDeleteMarker: true, size: 0 }), context('2026-02-10T00:00:00Z'))), {
      due: 'expireNoncurrent@2026-02-07T00:00:00.000Z by nc',
      upcoming: [],
    });
  });

  it('a noncurrent version without noncurrentSince is a caller fault', () => {
    const rules = rulesOf(rule('nc', '<NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration>'));
    assert.throws(() => evaluateLifecycle(rules, version({ isLatest: false }), context('2026-02-10T00:00:00Z')), /noncurrentSince/);
  });
});

describe('evaluateLifecycle: expired delete markers', () => {
  const MARKER_AT = new Date('2026-03-01T08:00:00Z');
  const marker = (noncurrentVersions: number): VersionFacts =>
    version({ isDeleteMarker: true, size: 0, lastModified: MARKER_AT, noncurrentVersions, tags: tags('class=debug') });

  const cases: ReadonlyArray<[string, string, string, number, VersioningState, ReturnType<typeof summary>]> = [
    // [name, rule body, filter, noncurrent versions left, versioning, outcome at 2026-03-02]
    [
      'ExpiredObjectDeleteMarker, no versions left: removed at once',
      '<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>',
      '<Filter/>',
      0,
      'Enabled',
      { due: 'removeExpiredDeleteMarker@2026-03-01T08:00:00.000Z by r', upcoming: [] },
    ],
    [
      'ExpiredObjectDeleteMarker with versions left: kept',
      '<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>',
      '<Filter/>',
      2,
      'Enabled',
      { due: undefined, upcoming: [] },
    ],
    [
      'ExpiredObjectDeleteMarker false: kept',
      '<Expiration><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration>',
      '<Filter/>',
      0,
      'Enabled',
      { due: undefined, upcoming: [] },
    ],
    [
      'Expiration Days: removed once the marker is old enough',
      '<Expiration><Days>5</Days></Expiration>',
      '<Filter/>',
      0,
      'Suspended',
      { due: undefined, upcoming: ['removeExpiredDeleteMarker@2026-03-07T00:00:00.000Z by r'] },
    ],
    [
      'a tag rule never applies to a delete marker (it has no tags)',
      '<Expiration><Days>1</Days></Expiration>',
      '<Filter><Tag><Key>class</Key><Value>debug</Value></Tag></Filter>',
      0,
      'Enabled',
      { due: undefined, upcoming: [] },
    ],
  ];
  for (const [name, body, filter, left, versioning, expected] of cases) {
    it(name, () => {
      const rules = rulesOf(rule('r', body, filter));
      assert.deepEqual(summary(evaluateLifecycle(rules, marker(left), context('2026-03-02T00:00:00Z', versioning))), expected);
    });
  }
});
