import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AGENT_MAX_MESSAGE,
  encodeExtensionFailure,
  encodeFailure,
  encodeIdentitiesAnswer,
  encodeRequest,
  encodeSignResponse,
  encodeSuccess,
  frame,
  FrameDecoder,
  parseRequest,
  parseResponse,
  SESSION_BIND,
} from '../../src/ssh/agent-protocol.js';
import { SshWriter, WireError } from '../../src/ssh/wire.js';

const payloadOf = (framed: Buffer) => {
  assert.equal(framed.readUInt32BE(0), framed.length - 4);
  return framed.subarray(4);
};

/** agent-protocol.ts on its own: frames, requests and answers, byte for byte (draft-miller-ssh-agent §4, PROTOCOL.agent §1). */
describe('agent protocol', () => {
  it('splits a stream into frames however it is chunked', () => {
    const stream = Buffer.concat([frame(Buffer.from([11])), frame(Buffer.from([13, 1, 2, 3])), frame(Buffer.from([27]))]);
    for (let size = 1; size <= stream.length; size++) {
      const d = new FrameDecoder();
      const got: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) got.push(...d.push(stream.subarray(i, i + size)));
      assert.deepEqual(
        got.map((b) => b.toString('hex')),
        ['0b', '0d010203', '1b'],
      );
      assert.equal(d.pending, 0);
    }
  });

  it('holds back a truncated frame and reports its bytes as pending', () => {
    const d = new FrameDecoder();
    assert.deepEqual(d.push(Buffer.from('0000000a0d0102', 'hex')), []);
    assert.equal(d.pending, 7);
  });

  it('accepts a frame of exactly 256 KiB and refuses one byte more, keeping the frames before it', () => {
    const d = new FrameDecoder();
    assert.equal(d.push(frame(Buffer.alloc(AGENT_MAX_MESSAGE, 11))).length, 1);
    const over = Buffer.alloc(4);
    over.writeUInt32BE(AGENT_MAX_MESSAGE + 1);
    const got = d.push(Buffer.concat([frame(Buffer.from([11])), over]));
    assert.equal(got.length, 1);
    assert.ok(d.error instanceof WireError);
    assert.match(d.error.message, /over the 262144 byte limit/);
    assert.throws(() => d.push(Buffer.from([0])), WireError);
  });

  it('refuses an empty frame', () => {
    const d = new FrameDecoder();
    d.push(Buffer.alloc(4));
    assert.match(d.error?.message ?? '', /empty agent message/);
  });

  it('parses what it encodes, for every request kind', () => {
    const bind = { hostKey: Buffer.from('hk'), sessionId: Buffer.from('sid'), signature: Buffer.from('sig'), isForwarding: true };
    const cases = [
      { kind: 'request-identities' as const },
      { kind: 'sign' as const, keyBlob: Buffer.from('key'), data: Buffer.from('data'), flags: 4 },
      { kind: 'session-bind' as const, bind },
      { kind: 'extension' as const, name: 'query', contents: Buffer.from('xyz') },
      { kind: 'store' as const, type: 22, name: 'lock' },
      { kind: 'unknown' as const, type: 99 },
    ];
    for (const req of cases) assert.deepEqual(parseRequest(payloadOf(encodeRequest(req))), req);
  });

  it('encodes a sign request and a session-bind exactly as the specs lay them out', () => {
    const sign = payloadOf(encodeRequest({ kind: 'sign', keyBlob: Buffer.from('K'), data: Buffer.from('DD'), flags: 2 }));
    assert.equal(sign.toString('hex'), '0d' + '000000014b' + '000000024444' + '00000002');
    const bind = payloadOf(
      encodeRequest({
        kind: 'session-bind',
        bind: { hostKey: Buffer.from('H'), sessionId: Buffer.from('S'), signature: Buffer.from('G'), isForwarding: false },
      }),
    );
    const expected = new SshWriter().byte(27).string(SESSION_BIND).string('H').string('S').string('G').byte(0).bytes();
    assert.deepEqual(bind, expected);
  });

  it('names key-store requests (add, remove, remove-all, smartcard, lock, unlock) as refusable, without parsing their bodies', () => {
    const names: Record<number, string> = {
      17: 'add-identity',
      18: 'remove-identity',
      19: 'remove-all-identities',
      20: 'add-smartcard-key',
      21: 'remove-smartcard-key',
      22: 'lock',
      23: 'unlock',
      25: 'add-identity-constrained',
      26: 'add-smartcard-key-constrained',
    };
    for (const [type, name] of Object.entries(names)) {
      assert.deepEqual(parseRequest(Buffer.from([Number(type), 0xff, 0xff])), { kind: 'store', type: Number(type), name });
    }
  });

  it('refuses malformed requests: trailing bytes, truncation, a session-bind without its boolean', () => {
    const sign = payloadOf(encodeRequest({ kind: 'sign', keyBlob: Buffer.from('k'), data: Buffer.from('d'), flags: 0 }));
    assert.throws(() => parseRequest(Buffer.concat([sign, Buffer.from([0])])), /trailing bytes after sign request/);
    assert.throws(() => parseRequest(sign.subarray(0, sign.length - 1)), /truncated/);
    assert.throws(() => parseRequest(Buffer.from([11, 0])), /trailing bytes after request identities/);
    const bind = payloadOf(
      encodeRequest({
        kind: 'session-bind',
        bind: { hostKey: Buffer.from('h'), sessionId: Buffer.from('s'), signature: Buffer.from('g'), isForwarding: false },
      }),
    );
    assert.throws(() => parseRequest(bind.subarray(0, bind.length - 1)), /truncated byte/);
    assert.throws(() => parseRequest(Buffer.concat([bind, Buffer.from([1])])), /trailing bytes after session-bind/);
    assert.throws(() => parseRequest(Buffer.alloc(0)), /truncated byte/);
  });

  it('encodes the answers byte for byte and parses them back', () => {
    assert.equal(encodeFailure().toString('hex'), '0000000105');
    assert.equal(encodeSuccess().toString('hex'), '0000000106');
    assert.equal(encodeExtensionFailure().toString('hex'), '000000011c');
    assert.equal(encodeSignResponse(Buffer.from('S')).toString('hex'), '00000006' + '0e' + '0000000153');
    const ids = [
      { blob: Buffer.from('b1'), comment: 'one' },
      { blob: Buffer.from('b2'), comment: 'twø' },
    ];
    const answer = payloadOf(encodeIdentitiesAnswer(ids));
    assert.deepEqual(answer, new SshWriter().byte(12).uint32(2).string('b1').string('one').string('b2').string('twø').bytes());
    assert.deepEqual(parseResponse(answer), { kind: 'identities', identities: ids });
    assert.deepEqual(parseResponse(payloadOf(encodeFailure())), { kind: 'failure' });
    assert.deepEqual(parseResponse(payloadOf(encodeExtensionFailure())), { kind: 'extension-failure' });
    assert.throws(() => parseResponse(new SshWriter().byte(12).uint32(1000000).bytes()), /truncated/);
  });
});
