import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../src/baton/cli/logger.js';
import type { LogFormat } from '../../../src/baton/cli/logger.js';

const SECRET = 'Tr0ub4dor&3"/x';
const USER = 'ann';
const BASIC = Buffer.from(`${USER}:${SECRET}`).toString('base64');

function capture(): { text: () => string; write: (s: string) => void } {
  let out = '';
  return { text: () => out, write: (s) => void (out += s) };
}

/** Logs the secret every way a connector might, and returns everything written. */
function logEverything(format: LogFormat): string {
  const stream = capture();
  const log = createLogger({ level: 'debug', format, secrets: [SECRET, BASIC], stream });
  log.info(`plain message with ${SECRET}`);
  log.info({ password: 'by-key-1', config: { password: 'by-key-2' } }, 'redact by key');
  log.info({ headers: { authorization: 'Bearer by-key-3', 'x-api-key': 'by-key-4' } }, 'headers');
  log.info({ request: { headers: { authorization: `Basic ${BASIC}` } } }, 'nested headers');
  log.info({ url: `https://x.example/api?pw=${encodeURIComponent(SECRET)}` }, 'url');
  const inner = new Error(`inner failure using ${SECRET}`);
  const outer = Object.assign(new Error(`outer failure`, { cause: inner }), { body: { echoed: SECRET } });
  log.error({ err: outer }, 'request failed');
  log.error(outer);
  log.warn({ error: new Error(`under the error key ${SECRET}`) }, 'warned');
  log.debug({ deep: { deeper: { value: SECRET } } }, 'deep value');
  log.info('printf %s', SECRET);
  return stream.text();
}

describe('createLogger', () => {
  for (const format of ['json', 'console'] as const) {
    test(`leaks no secret in ${format} format, by key or by value, including error causes and stacks`, () => {
      const out = logEverything(format);
      for (const leak of [SECRET, JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET), BASIC]) {
        assert.ok(!out.includes(leak), `leaked ${leak} in:\n${out}`);
      }
      for (const keyed of ['by-key-1', 'by-key-2', 'by-key-3', 'by-key-4'])
        assert.ok(!out.includes(keyed), keyed);
      assert.ok(out.includes('[REDACTED]'));
      // The surrounding text survives, so the lines stay useful.
      assert.match(out, /plain message with \[REDACTED\]/);
      assert.match(out, /inner failure using \[REDACTED\]/);
      assert.match(out, /under the error key \[REDACTED\]/);
      assert.match(out, /at .*logger\.test\.ts/, 'stack traces are kept');
    });
  }

  test('writes one JSON object per line with a level label and ISO time', () => {
    const stream = capture();
    createLogger({ level: 'info', format: 'json', secrets: [], stream }).info({ count: 3 }, 'synced');
    const line = JSON.parse(stream.text()) as Record<string, unknown>;
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'synced');
    assert.equal(line.count, 3);
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/);
    assert.equal('pid' in line || 'hostname' in line, false);
  });

  test('writes readable console lines without colours on a non-TTY stream', () => {
    const stream = capture();
    createLogger({ level: 'info', format: 'console', secrets: [], stream }).warn({ count: 3 }, 'slow down');
    const out = stream.text();
    assert.match(out, /WARN.*slow down/);
    assert.match(out, /count: 3/);
    assert.doesNotMatch(out, /\u001b\[/);
  });

  test('colours console lines when asked', () => {
    const stream = capture();
    createLogger({ level: 'info', format: 'console', secrets: [], stream, colorize: true }).info('hello');
    assert.match(stream.text(), /\u001b\[/);
  });

  test('drops lines below the level', () => {
    const stream = capture();
    const log = createLogger({ level: 'warn', format: 'json', secrets: [], stream });
    log.info('quiet');
    log.error('loud');
    assert.equal(stream.text().trim().split('\n').length, 1);
    assert.match(stream.text(), /loud/);
  });

  test('redacts extra key paths given by the caller', () => {
    const stream = capture();
    const log = createLogger({ level: 'info', format: 'json', secrets: [], stream, redactPaths: ['*.pin'] });
    log.info({ card: { pin: '1234' } }, 'x');
    assert.equal((JSON.parse(stream.text()) as { card: { pin: string } }).card.pin, '[REDACTED]');
  });
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('createLogger with a short secret', () => {
  // Short passwords occur by chance in timestamps, paths and words: scrubbing them from free text would
  // corrupt every line. They are redacted only where their place is known.
  const SHORT = ['1', 'e', '"', '\\', 'ü', '🔑', 'a:b', 'pass5'];
  for (const secret of SHORT) {
    test(`password ${JSON.stringify(secret)}: every json line stays valid JSON and readable`, () => {
      const stream = capture();
      const log = createLogger({
        level: 'debug',
        format: 'json',
        secrets: [secret, b64(`ann:${secret}`)],
        stream,
      });
      log.info({ file: '/tmp/e1/sync.c1z', count: 1021 }, 'sync finished: 1 file');
      log.info({ password: secret, headers: { authorization: `Basic ${b64(`ann:${secret}`)}` } }, 'by key');
      log.error({ err: new Error(`GET https://ann:${secret}@x.example/api/xm/1 failed`) }, 'request failed');
      log.warn(`server said: you sent Basic ${b64(`ann:${secret}`)}`);
      const lines = stream.text().trimEnd().split('\n');
      assert.equal(lines.length, 4);
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const line of parsed) assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(parsed[0]!.file, '/tmp/e1/sync.c1z');
      assert.equal(parsed[0]!.count, 1021);
      assert.equal(parsed[0]!.msg, 'sync finished: 1 file');
      assert.equal(parsed[1]!.password, '[REDACTED]');
      assert.equal((parsed[1]!.headers as Record<string, string>).authorization, '[REDACTED]');
      // URL user info and an echoed Authorization value are redacted by their place, whatever their length.
      const err = parsed[2]!.err as { message: string };
      assert.equal(err.message, 'GET https://[REDACTED]@x.example/api/xm/1 failed');
      assert.equal(parsed[3]!.msg, 'server said: you sent Basic [REDACTED]');
    });
  }

  test('a secret of 6 or more characters is still scrubbed from free text, and the line stays JSON', () => {
    for (const secret of ['"\\"\\"\\', 'ab"}{"', '123456', 'wörter']) {
      const stream = capture();
      createLogger({ level: 'info', format: 'json', secrets: [secret], stream }).info(
        { note: `x${secret}y`, [`k${secret}`]: 1 },
        `a ${secret} b`,
      );
      const text = stream.text();
      const line = JSON.parse(text) as Record<string, unknown>;
      assert.equal(line.msg, 'a [REDACTED] b');
      assert.equal(line.note, 'x[REDACTED]y');
      assert.ok(!text.includes(secret) && !text.includes(JSON.stringify(secret).slice(1, -1)), text);
    }
  });

  test('console format with a short secret keeps the text intact', () => {
    const stream = capture();
    createLogger({ level: 'info', format: 'console', secrets: ['e'], stream }).info('the file was written');
    assert.match(stream.text(), /the file was written/);
  });
});
