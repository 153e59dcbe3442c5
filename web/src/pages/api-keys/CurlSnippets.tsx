import { type ReactNode, useRef } from 'react';
import { CopyButton } from '../../components/CopyButton';
import type { Schemas } from '../../lib/api';

/** A word for a POSIX shell, in single quotes. */
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * What a gateway sends to check this key, ready to paste: `POST /v1/keys/verify` (with a `verify`
 * token the reader supplies, never the console's own) and forward-auth (docs/verification.md).
 */
export function curlSnippets(key: Schemas['ApiKeyCreated'], origin: string): { verify: string; forwardAuth: string } {
  const container = key.containers[0] ?? { name: 'my-container', namespace: 'default' };
  const body = JSON.stringify({
    key: key.secret,
    container: { name: container.name, namespace: container.namespace },
    project_id: key.project_id,
    region_id: key.region_id,
  });
  const verify = [
    `curl -sS -X POST ${sh(`${origin}/v1/keys/verify`)} \\`,
    `  -H "Authorization: Bearer $KEYHOLD_VERIFY_TOKEN" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${sh(body)}`,
  ].join('\n');
  const query = new URLSearchParams({ container: container.name, namespace: container.namespace });
  const forwardAuth = [`curl -sS -i ${sh(`${origin}/v1/forward-auth?${query.toString()}`)} \\`, `  -H ${sh(`X-API-Key: ${key.secret}`)}`].join('\n');
  return { verify, forwardAuth };
}

function Snippet({ title, text, label, children }: { title: string; text: string; label: string; children: ReactNode }) {
  const pre = useRef<HTMLPreElement>(null);
  return (
    <div className="snippet">
      <div className="snippet-head">
        <h4>{title}</h4>
        <CopyButton text={text} label={label} target={pre} />
      </div>
      <pre ref={pre} className="snippet-code" data-snippet={label}>
        <code>{text}</code>
      </pre>
      <p className="hint">{children}</p>
    </div>
  );
}

/** The two ways a gateway checks a new key, as curl commands for its first container. */
export function CurlSnippets({ apiKey }: { apiKey: Schemas['ApiKeyCreated'] }) {
  const { verify, forwardAuth } = curlSnippets(apiKey, location.origin);
  const container = apiKey.containers[0];
  return (
    <section className="snippets" aria-label="Try the key">
      <h4 className="visually-hidden">Try the key</h4>
      {!container && <p className="hint">The key is bound to no container yet; the commands use a placeholder, my-container.</p>}
      <Snippet title="Verify (gateways you write)" text={verify} label="Copy the verify command">
        Set <code>KEYHOLD_VERIFY_TOKEN</code> to a token with the <code>verify</code> ability (Tokens page); the console never puts its own token here. The
        answer&apos;s <code>code</code> is <code>VALID</code> for {container ? <code>{container.name}</code> : 'a bound container'}.
      </Snippet>
      <Snippet title="Forward-auth (proxies)" text={forwardAuth} label="Copy the forward-auth command">
        No keyhold token: 204 admits, 401/403/429 refuse. Where verification is served on <code>KEYHOLD_GATEWAY_PORT</code>, use that port.
      </Snippet>
    </section>
  );
}
