import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'keys');

/** Expected values computed by ssh-keygen when the fixtures were generated (test/fixtures/keys/generate.sh). */
export const expected: Record<string, { type: string; fingerprint: string; public_key: string }> = JSON.parse(
  fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'),
);

export const fixture = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
export const goodKeys = Object.keys(expected).sort();
export const badKeys = fs.readdirSync(dir).filter((f) => f.endsWith('.neg')).sort();

/** The two test vectors from the Coolify spec, section 6.6. */
export const SPEC_ED25519 =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACAICQqUL6YXAnBlolEHUlQC/HRGDYrSP6M0gm0RJXe+wgAAAIiIl7nliJe5\n5QAAAAtzc2gtZWQyNTUxOQAAACAICQqUL6YXAnBlolEHUlQC/HRGDYrSP6M0gm0RJXe+wg\nAAAEAQBwn1+poWS1Vtdx2Z8CNAoQqC3gvsxC35LysYGQMjZggJCpQvphcCcGWiUQdSVAL8\ndEYNitI/ozSCbREld77CAAAAAAECAwQF\n-----END OPENSSH PRIVATE KEY-----\n';
export const SPEC_ED25519_B64 = Buffer.from(SPEC_ED25519).toString('base64');
export const SPEC_EC =
  '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIL64nIsDM9Lh8cHcIlnBEKYA2yryiMH0JO0EBOTe55BNoAoGCCqGSM49\nAwEHoUQDQgAEEPG78Qfop0sQAAkHEGw0+f9zLjmWsw8E9a4canakpVGg6Ecm2Ulo\nwYPRI+ywJeT4kx4gyo0/FqpHdXFXT/XPNw==\n-----END EC PRIVATE KEY-----\n';

/** `n` fresh Ed25519 keys in OpenSSH format, made by ssh-keygen (one process per key, in one shell). */
export function sshKeygenMany(n: number): string[] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-keys-'));
  try {
    execFileSync('bash', ['-c', `for i in $(seq 1 ${n}); do ssh-keygen -q -t ed25519 -N '' -C "k$i" -f "$0/k$i"; done`, tmp]);
    return Array.from({ length: n }, (_, i) => fs.readFileSync(path.join(tmp, `k${i + 1}`), 'utf8'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
