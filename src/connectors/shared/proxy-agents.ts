import type { Agent } from 'node:http';
import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { Logger } from '../../observability/logger.ts';
import { describeProxySettings, proxyFor, type ProxySettings, readProxySettings } from './proxy-env.ts';

/**
 * Every outbound HTTP call goes through the one axios factory (axios-call.ts), and this is where
 * it picks, per request, a direct connection or the proxy. https:// targets get a CONNECT tunnel
 * (https-proxy-agent): TLS runs end to end with the vendor, so the proxy sees only host and port,
 * and `Proxy-Authorization` goes on the CONNECT alone. http:// targets get absolute-URI requests
 * (http-proxy-agent). Credentials in the proxy URL (`http://user:pass@proxy:3128`) become Basic
 * `Proxy-Authorization`. Certificates are checked against Node's store, which NODE_EXTRA_CA_CERTS
 * extends with a private CA. https://github.com/TooTallNate/proxy-agents
 */

/** One agent per proxy and kind, shared by every client, so connections to the proxy are pooled. */
const agents = new Map<string, Agent>();

function agentFor(proxy: URL, secureTarget: boolean): Agent {
  const key = `${secureTarget ? 'connect' : 'forward'} ${proxy.href}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = secureTarget
      ? new HttpsProxyAgent(proxy, { keepAlive: true })
      : new HttpProxyAgent(proxy, { keepAlive: true });
    agents.set(key, agent);
  }
  return agent;
}

/** Sets the agent of one request from its full URL; a direct request keeps Node's global agents. */
export function routeRequest(settings: ProxySettings, config: InternalAxiosRequestConfig, http: AxiosInstance) {
  const target = new URL(http.getUri(config));
  const proxy = proxyFor(settings, target);
  if (proxy) {
    const secure = target.protocol === 'https:';
    if (secure) config.httpsAgent = agentFor(proxy, true);
    else config.httpAgent = agentFor(proxy, false);
  }
  return config;
}

/**
 * The settings of this process. These are the standard variables every HTTP tool shares (not
 * MIM_ settings), read where the HTTP stack is built so that no connector can go around them;
 * parsed again only when they change.
 */
let cached: { readonly key: string; readonly settings: ProxySettings } | undefined;
const VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'] as const;

export function outboundProxySettings(env: Readonly<Record<string, string | undefined>> = process.env): ProxySettings {
  const key = VARIABLES.map((v) => env[v] ?? '').join('\n');
  if (cached?.key !== key) cached = { key, settings: readProxySettings(env) };
  return cached.settings;
}

/** The start-up line: which proxy is used (host:port, never the credentials) and which hosts bypass it. */
export function logOutboundProxy(logger: Logger, env: Readonly<Record<string, string | undefined>> = process.env) {
  const settings = outboundProxySettings(env);
  const described = describeProxySettings(settings);
  logger.info(described, 'outbound HTTP proxy');
  // curl's rule, which we follow, surprises those used to tools that fall back: say it where they look.
  if (settings.http && !settings.https)
    logger.warn(`${settings.http.variable} is set but not HTTPS_PROXY: https:// vendor calls (all of them) go direct`);
  return described;
}
