import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SshReader, SshWriter, WireError } from '../../src/ssh/wire.js';

/** The RFC 4251 §5 encodings, at their edges: mpint signs, truncation, trailing bytes. */
describe('SSH wire encoding', () => {
  it('writes an mpint with a leading zero byte only when the top bit is set (RFC 4251 §5 examples)', () => {
    const hex = (magnitude: string) => new SshWriter().mpint(Buffer.from(magnitude, 'hex')).bytes().toString('hex');
    assert.equal(hex(''), '00000000');
    assert.equal(hex('00'), '00000000');
    assert.equal(hex('09a378f9b2e332a7'), '0000000809a378f9b2e332a7');
    assert.equal(hex('80'), '000000020080');
    assert.equal(hex('ff'), '0000000200ff');
    // Leading zeros of the magnitude are dropped, then the sign byte added back if needed.
    assert.equal(hex('000080'), '000000020080');
    assert.equal(hex('00007f'), '000000017f');
  });

  it('reads an mpint back to its magnitude and refuses a negative one', () => {
    assert.deepEqual(new SshReader(Buffer.from('000000020080', 'hex')).mpint(), Buffer.from('80', 'hex'));
    assert.deepEqual(new SshReader(Buffer.from('00000000', 'hex')).mpint(), Buffer.alloc(0));
    assert.throws(() => new SshReader(Buffer.from('0000000180', 'hex')).mpint(), WireError);
    assert.throws(() => new SshReader(Buffer.from('00000002ff00', 'hex')).mpint(), /negative mpint/);
  });

  it('refuses a string whose length runs past the buffer, and a truncated uint32', () => {
    assert.throws(() => new SshReader(Buffer.from('0000000a616263', 'hex')).string(), /truncated string/);
    assert.throws(() => new SshReader(Buffer.from('ffffffff', 'hex')).string(), /truncated string/);
    assert.throws(() => new SshReader(Buffer.from('000000', 'hex')).uint32(), /truncated uint32/);
    assert.throws(() => new SshReader(Buffer.alloc(0)).byte(), /truncated byte/);
  });

  it('end() refuses trailing bytes; remaining counts them', () => {
    const r = new SshReader(new SshWriter().string('a').byte(1).bytes());
    assert.equal(r.text(), 'a');
    assert.equal(r.remaining, 1);
    assert.throws(() => r.end('thing'), /1 trailing bytes after thing/);
    r.byte();
    r.end();
  });

  it('text() refuses bytes that are not UTF-8', () => {
    assert.throws(() => new SshReader(new SshWriter().string(Buffer.from([0xc3, 0x28])).bytes()).text(), /not valid UTF-8/);
    assert.equal(new SshReader(new SshWriter().string('ключ').bytes()).text(), 'ключ');
  });

  it('round-trips every type', () => {
    const b = new SshWriter()
      .byte(0x1b)
      .boolean(true)
      .boolean(false)
      .uint32(0xdeadbeef)
      .uint64(2n ** 63n + 5n)
      .string('x')
      .raw(Buffer.from('zz'))
      .bytes();
    const r = new SshReader(b);
    assert.equal(r.byte(), 0x1b);
    assert.equal(r.boolean(), true);
    assert.equal(r.boolean(), false);
    assert.equal(r.uint32(), 0xdeadbeef);
    assert.equal(r.uint64(), 2n ** 63n + 5n);
    assert.equal(r.text(), 'x');
    assert.deepEqual(r.rest(), Buffer.from('zz'));
    r.end();
  });
});
