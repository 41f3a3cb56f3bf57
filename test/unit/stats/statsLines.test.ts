import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanBytes, statsLines } from '../../../src/cli/stats.js';

describe('tessera stats output', () => {
  it('bytes for people', () => {
    const table: ReadonlyArray<[number, string]> = [
      [0, '0 B'],
      [1023, '1023 B'],
      [1024, '1.0 KiB'],
      [1536, '1.5 KiB'],
      [20 * 1024 * 1024, '20.0 MiB'],
      [3 * 1024 ** 4, '3.0 TiB'],
    ];
    for (const [bytes, text] of table) assert.equal(humanBytes(bytes), text);
  });

  it('a table of the figures, then the values of the tag', () => {
    const lines = statsLines({
      bucket: 'b',
      objects: 3,
      objectBytes: 2048,
      versions: 4,
      versionBytes: 3000,
      deleteMarkers: 1,
      byTag: { key: 'project', tracked: false, values: [{ value: '中文', objects: 2, bytes: 2000 }], untagged: { objects: 1, bytes: 48 } },
    });
    assert.deepEqual(lines, [
      's3://b',
      '                     count    bytes',
      '  objects (current)      3  2.0 KiB',
      '  versions (all)         4  2.9 KiB',
      '  delete markers         1',
      '',
      "current objects by tag 'project' (not tracked: counted from the tag index)",
      '  value          objects    bytes',
      `  中文${' '.repeat(19)}2  2.0 KiB`, // padded by characters (a wide character counts as one)
      '  (no such tag)        1     48 B',
    ]);
  });
});
