import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { Config } from '../config.js';

/**
 * Which hops of `X-Forwarded-For` keyhold believes: none, the nearest N proxies, or proxies at these
 * addresses. The client is the nearest address that is not a trusted proxy; everything a client
 * writes itself further along the header is ignored. Fastify (`request.ip`) and the gateway's fast
 * path use the same function, so both see one address.
 */
export type TrustFunction = (address: string, hop: number) => boolean;

/** The trust function for a setting, or false when no proxy is trusted. */
export function proxyTrust(setting: Config['trustProxy']): TrustFunction | false {
  if (setting.kind === 'none') return false;
  if (setting.kind === 'hops') {
    const hops = setting.hops;
    return (_address, hop) => hop < hops;
  }
  return proxyAddr.compile(setting.addresses);
}

/** The client's address of a raw request under `trust`. */
export function clientAddress(req: IncomingMessage, trust: TrustFunction | false): string {
  return trust ? proxyAddr(req, trust) : (req.socket.remoteAddress ?? '');
}
