import { BlockList, isIP } from 'node:net';

/**
 * `NO_PROXY` as curl reads it: comma- or space-separated entries; `*` alone bypasses the proxy
 * for every host; a name matches itself and every host under it (`example.com`, `.example.com`
 * and `*.example.com` all match `example.com` and `api.example.com`, never `badexample.com`);
 * `host:port` (`[v6]:port`) only that port; IP addresses exactly, or as CIDR ranges, compared
 * with IP literals only (no DNS look-up). Names are compared case-insensitively.
 * https://curl.se/libcurl/c/CURLOPT_NOPROXY.html · https://curl.se/docs/manpage.html#--noproxy
 */

export interface NoProxyEntry {
  /** As written (trimmed), for the start-up log. */
  readonly text: string;
  readonly port?: number;
  /** A host name suffix, lower case, without leading `*.`/`.` or trailing `.`. */
  readonly domain?: string;
  /** An IP address or CIDR range. */
  readonly ips?: BlockList;
}

export type NoProxy = { readonly all: true } | { readonly all: false; readonly entries: readonly NoProxyEntry[] };

export class NoProxyEntryError extends Error {
  readonly entry: string;
  constructor(entry: string, reason: string) {
    super(`entry "${entry}" ${reason}`);
    this.name = 'NoProxyEntryError';
    this.entry = entry;
  }
}

const PORT = /^\d{1,5}$/;
const family = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** `[::1]:8080` → `::1` and 8080; `::1` (bare IPv6, as curl wants it) has no port; `host:80` has. */
function splitPort(text: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  const colon = text.lastIndexOf(':');
  if (colon > 0 && text.indexOf(':') === colon && PORT.test(text.slice(colon + 1)))
    return { host: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
  return { host: text };
}

function parseEntry(text: string): NoProxyEntry {
  const { host, port } = splitPort(text);
  if (port !== undefined && (port < 1 || port > 65_535)) throw new NoProxyEntryError(text, 'has a port out of range');
  const slash = host.indexOf('/');
  if (slash >= 0) {
    const [net, bits] = [host.slice(0, slash), Number(host.slice(slash + 1))];
    const max = isIP(net) === 6 ? 128 : 32;
    if (!isIP(net) || !Number.isInteger(bits) || bits < 0 || bits > max)
      throw new NoProxyEntryError(text, 'is not a CIDR range like 10.0.0.0/8');
    const ips = new BlockList();
    ips.addSubnet(net, bits, family(net));
    return { text, port, ips };
  }
  if (isIP(host)) {
    const ips = new BlockList();
    ips.addAddress(host, family(host));
    return { text, port, ips };
  }
  const domain = host
    .toLowerCase()
    .replace(/^\*?\./, '')
    .replace(/\.$/, '');
  if (domain === '' || /[\s/*@]/.test(domain)) throw new NoProxyEntryError(text, 'is not a host name');
  return { text, port, domain };
}

export function parseNoProxy(value: string | undefined): NoProxy {
  const texts = (value ?? '').split(/[\s,]+/).filter(Boolean);
  if (texts.includes('*')) return { all: true };
  return { all: false, entries: texts.map(parseEntry) };
}

/** Whether a request to `hostname:port` goes direct. `hostname` as `URL.hostname` gives it (IPv6 in brackets). */
export function bypassesProxy(noProxy: NoProxy, hostname: string, port: number): boolean {
  if (noProxy.all) return true;
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  const ip = isIP(host);
  return noProxy.entries.some((e) => {
    if (e.port !== undefined && e.port !== port) return false;
    if (e.ips) return ip !== 0 && e.ips.check(host, family(host));
    return ip === 0 && (host === e.domain || host.endsWith(`.${e.domain}`));
  });
}
