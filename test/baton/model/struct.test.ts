import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toBinary } from '@bufbuild/protobuf';
import { StructSchema } from '@bufbuild/protobuf/wkt';
import { fromJson } from '@bufbuild/protobuf';
import { structFromObject } from '../../../src/baton/model/struct.js';
import { compareUtf8 } from '../../../src/baton/model/utf8-compare.js';
import { isBatonError } from '../../../src/baton/errors.js';

describe('structFromObject', () => {
  test('sorts keys at every level and drops undefined members', () => {
    const s = structFromObject({ b: 1, a: { z: true, y: null }, c: undefined, d: ['x', 2] });
    assert.deepEqual(Object.keys(s), ['a', 'b', 'd']);
    assert.deepEqual(Object.keys(s.a as object), ['y', 'z']);
    assert.deepEqual(s, { a: { y: null, z: true }, b: 1, d: ['x', 2] });
  });

  test('encodes identically whatever order the input keys had', () => {
    const one = structFromObject({ email: 'e', full_name: 'n', enabled: true });
    const two = structFromObject({ enabled: true, full_name: 'n', email: 'e' });
    const enc = (j: object) => Buffer.from(toBinary(StructSchema, fromJson(StructSchema, j as never)));
    assert.ok(enc(one).equals(enc(two)));
    assert.deepEqual(Object.keys(one), ['email', 'enabled', 'full_name']);
  });

  test('converts dates to ISO text and bigints to numbers', () => {
    const s = structFromObject({ at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), n: 7n });
    assert.deepEqual(s, { at: '2026-01-02T03:04:05.000Z', n: 7 });
  });

  test('rejects values a Struct cannot hold, naming the path', () => {
    assert.throws(
      () => structFromObject({ a: { b: Number.NaN } }),
      (e: unknown) => isBatonError(e) && e.code === 3 && e.message.includes('"a.b"'),
    );
    assert.throws(() => structFromObject({ m: new Map() as never }), /"m"/);
  });
});

describe('compareUtf8', () => {
  test('orders by UTF-8 bytes, placing astral characters after U+FFFF', () => {
    const keys = ['b', '\uffff', '😀', 'a', 'ab', ''];
    assert.deepEqual(keys.sort(compareUtf8), ['', 'a', 'ab', 'b', '\uffff', '😀']);
    const viaBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual(keys, viaBytes);
  });
});
