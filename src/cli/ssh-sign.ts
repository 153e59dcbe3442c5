import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { buildSshsigSignedData, armorSshsig, SSHSIG_DEFAULT_HASH } from '../ssh/sshsig.js';
import { RemoteIdentities } from './agent.js';
import { RemoteError, remoteFrom } from './remote.js';

/**
 * `keyhold-ssh-sign`: what git runs as `gpg.ssh.program`, for commit and tag signing with a key
 * held in keyhold where no agent socket can run (sandboxes, some CI runners). It takes ssh-keygen's
 * arguments. `-Y sign -n NAMESPACE -f KEY FILE…` is answered here: the public key in KEY (or KEY.pub)
 * names the stored key, keyhold's signing API signs the SSHSIG data, and FILE.sig is written (stdout
 * for `-`). Every other use (git's `-Y verify`, `-Y find-principals`, `-Y check-novalidate`) runs the
 * real `ssh-keygen` with the same arguments. KEYHOLD_URL and KEYHOLD_TOKEN (a `sign` token) say where.
 */

interface SignArgs {
  namespace: string;
  keyFile: string;
  files: string[];
}

/** ssh-keygen's `-Y sign` arguments, or undefined for any other invocation. */
export function parseSignArgs(argv: string[]): SignArgs | undefined {
  let op: string | undefined;
  let namespace: string | undefined;
  let keyFile: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '-Y') op = value();
    else if (a === '-n') namespace = value();
    else if (a === '-f') keyFile = value();
    else if (a === '-O') value(); // signing options (hashalg=…): keyhold signs sha512, as ssh-keygen does by default
    else if (a === '-U' || a === '-q' || a === '-v') continue; // -U: the key is in an agent; here it is in keyhold
    else if (a.startsWith('-') && a !== '-') return undefined;
    else files.push(a);
  }
  if (op !== 'sign') return undefined;
  if (!namespace) throw new Error('-Y sign needs -n NAMESPACE (git passes -n git)');
  if (!keyFile) throw new Error('-Y sign needs -f KEY: a file holding the public key (git writes one for user.signingkey "key::…")');
  return { namespace, keyFile, files: files.length ? files : ['-'] };
}

/** The public key blob in a key file: a public key line, or the `.pub` beside a private key's path. */
function publicBlobOf(keyFile: string): Buffer {
  for (const file of [keyFile, `${keyFile}.pub`]) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const m = /^(?:ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+)\s+([A-Za-z0-9+/=]+)/m.exec(text.trim());
    if (m) return Buffer.from(m[1]!, 'base64');
  }
  throw new Error(`no public key in ${keyFile} or ${keyFile}.pub (keyhold-ssh-sign needs the public key of a key held in keyhold)`);
}

async function sign(args: SignArgs): Promise<void> {
  const remote = remoteFrom({});
  const identities = new RemoteIdentities(remote);
  const blob = publicBlobOf(args.keyFile);
  const key = await identities.find(blob);
  if (!key) throw new Error(`the key in ${args.keyFile} is not one this token may sign with (see GET /v1/private-keys)`);
  for (const file of args.files) {
    const message = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
    const data = buildSshsigSignedData(message, args.namespace, SSHSIG_DEFAULT_HASH);
    const signed = await remote.call<{ signature: string }>('POST', `/v1/private-keys/${key.uuid}/sign`, { data: data.toString('base64') });
    const armored = armorSshsig({ publicBlob: blob, namespace: args.namespace, hashAlgorithm: SSHSIG_DEFAULT_HASH, signature: Buffer.from(signed.signature, 'base64') });
    if (file === '-') process.stdout.write(armored);
    else {
      fs.writeFileSync(`${file}.sig`, armored, { mode: 0o644 });
      process.stderr.write(`Signing file ${file}\nWrite signature to ${file}.sig\n`);
    }
  }
}

/** Runs as ssh-keygen would; answers the exit status. */
export async function runSshSign(argv: string[]): Promise<number> {
  let args: SignArgs | undefined;
  try {
    args = parseSignArgs(argv);
  } catch (err) {
    process.stderr.write(`keyhold-ssh-sign: ${(err as Error).message}\n`);
    return 2;
  }
  if (!args) return spawnSync('ssh-keygen', argv, { stdio: 'inherit' }).status ?? 1;
  try {
    await sign(args);
    return 0;
  } catch (err) {
    const refused = err instanceof RemoteError && err.status !== 0 ? 'refused: ' : '';
    process.stderr.write(`keyhold-ssh-sign: ${refused}${(err as Error).message}\n`);
    return 1;
  }
}
