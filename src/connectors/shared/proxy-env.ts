import { type NoProxy, NoProxyEntryError, parseNoProxy, bypassesProxy } from './proxy-no-proxy.ts';

/**
 * The outbound proxy from the variables every HTTP tool reads: `HTTPS_PROXY` for https:// targets,
 * `HTTP_PROXY` for http:// targets, `NO_PROXY` for the hosts that go direct. The lower-case form
 * of each wins over the upper-case one, as in curl, wget and undici. As in curl, an https://
 * target never falls back to `HTTP_PROXY`: every vendor is https, so `HTTPS_PROXY` is the one
 * that matters. https://curl.se/docs/manpage.html#ENVIRONMENT
 * Pure: the environment is passed in.
 */

export type ProxyVariable = 'HTTPS_PROXY' | 'HTTP_PROXY' | 'NO_PROXY';

export interface ProxyChoice {
  readonly url: URL;
  /** The variable it came from, as set (`https_proxy` or `HTTPS_PROXY`). */
  readonly variable: string;
}

export interface ProxySettings {
  readonly https?: ProxyChoice;
  readonly http?: ProxyChoice;
  readonly noProxy: NoProxy;
}

/** A proxy variable that cannot be used. The message names the variable, never its value (it may hold a password). */
export class ProxyConfigError extends Error {
  readonly code = 'PROXY_CONFIG_INVALID';
  readonly variable: string;
  constructor(variable: string, reason: string) {
    super(`${variable} ${reason}`);
    this.name = 'ProxyConfigError';
    this.variable = variable;
  }
}

type EnvSource = Readonly<Record<string, string | undefined>>;

/** The set variable, lower case first; empty counts as unset, as everywhere in mim-bridge. */
function pick(env: EnvSource, name: ProxyVariable): { variable: string; value: string } | undefined {
  for (const variable of [name.toLowerCase(), name]) {
    const value = env[variable]?.trim();
    if (value) return { variable, value };
  }
  return undefined;
}

/** `proxy.example.com:3128` means `http://proxy.example.com:3128`, as in curl. */
const withScheme = (value: string) => (value.includes('://') ? value : `http://${value}`);

/** Why a proxy URL is unusable, or undefined when it is fine. Shared with the start-up check of env.ts. */
export function proxyUrlProblem(value: string): string | undefined {
  if (!URL.canParse(withScheme(value))) return 'must be a URL like http://proxy.example.com:3128';
  const url = new URL(withScheme(value));
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'must be an http:// or https:// URL (the scheme says how the proxy is reached; SOCKS is not supported)';
  if (url.hostname === '') return 'must name the proxy host';
  return undefined;
}

function proxyChoice(env: EnvSource, name: 'HTTPS_PROXY' | 'HTTP_PROXY'): ProxyChoice | undefined {
  const set = pick(env, name);
  if (!set) return undefined;
  const problem = proxyUrlProblem(set.value);
  if (problem) throw new ProxyConfigError(set.variable, problem);
  return { url: new URL(withScheme(set.value)), variable: set.variable };
}

export function readProxySettings(env: EnvSource): ProxySettings {
  const https = proxyChoice(env, 'HTTPS_PROXY');
  const http = proxyChoice(env, 'HTTP_PROXY');
  const noProxyVar = pick(env, 'NO_PROXY');
  let noProxy: NoProxy;
  try {
    noProxy = parseNoProxy(noProxyVar?.value);
  } catch (err) {
    if (err instanceof NoProxyEntryError) throw new ProxyConfigError(noProxyVar?.variable ?? 'NO_PROXY', err.message);
    throw err;
  }
  return { ...(https ? { https } : {}), ...(http ? { http } : {}), noProxy };
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** The proxy a request to `target` goes through, or undefined for a direct connection. */
export function proxyFor(settings: ProxySettings, target: URL): URL | undefined {
  const choice =
    target.protocol === 'https:' ? settings.https : target.protocol === 'http:' ? settings.http : undefined;
  if (!choice) return undefined;
  const port = target.port ? Number(target.port) : (DEFAULT_PORTS[target.protocol] ?? 0);
  return bypassesProxy(settings.noProxy, target.hostname, port) ? undefined : choice.url;
}

/** `host:port` of a proxy: what may be logged (the URL may carry a user and password). */
export function proxyAddress(url: URL): string {
  return `${url.hostname}:${url.port || DEFAULT_PORTS[url.protocol]}`;
}

/** What the start-up log line says: each proxy as `host:port` with its variable, and the hosts that bypass it. */
export function describeProxySettings(settings: ProxySettings) {
  const show = (c: ProxyChoice | undefined) => (c ? `${proxyAddress(c.url)} (${c.variable})` : 'none (direct)');
  return {
    httpsProxy: show(settings.https),
    httpProxy: show(settings.http),
    noProxy: settings.noProxy.all ? ['*'] : settings.noProxy.entries.map((e) => e.text),
  };
}
