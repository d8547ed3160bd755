import { z } from 'zod';
import { ProxyConfigError, proxyUrlProblem, readProxySettings } from '../connectors/shared/proxy-env.ts';
import { NoProxyEntryError, parseNoProxy } from '../connectors/shared/proxy-no-proxy.ts';

const optionalString = z.string().min(1).optional();

/** HTTPS_PROXY / HTTP_PROXY: checked by the rules the HTTP stack applies (connectors/shared/proxy-env.ts). */
const proxyUrl = z
  .string()
  .optional()
  .superRefine((v, ctx) => {
    const problem = v === undefined ? undefined : proxyUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const noProxyList = z
  .string()
  .optional()
  .superRefine((v, ctx) => {
    try {
      parseNoProxy(v);
    } catch (err) {
      if (!(err instanceof NoProxyEntryError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
    }
  });

/** The outbound proxy's rows of the environment schema (env.ts spreads them in). */
export const PROXY_ENV = {
  /**
   * The outbound proxy. Standard names every HTTP tool reads, not MIM_ settings: declared here to
   * be documented and checked at start-up; the HTTP stack reads them, lower-case forms included,
   * where it is built (connectors/shared/proxy-agents.ts). Docs: operations.md#proxy-and-tls.
   */
  HTTPS_PROXY: proxyUrl.describe(
    'forward proxy for every https:// vendor call (all of them in production), e.g. ' +
      'http://proxy.example.com:3128; TLS to the vendor runs through a CONNECT tunnel. `user:pass@` in the URL ' +
      'is sent as Basic Proxy-Authorization and never logged. `https_proxy` wins when both are set',
  ),
  HTTP_PROXY: proxyUrl.describe(
    'forward proxy for http:// vendor URLs (never used for https:// ones); `http_proxy` wins when both are set',
  ),
  NO_PROXY: noProxyList.describe(
    "hosts reached without the proxy, curl's rules: comma-separated; `example.com` (or `.example.com`) covers " +
      'its subdomains, `host:port` one port, IPs and CIDR ranges (`10.0.0.0/8`) match IP addresses, `*` every ' +
      'host. `no_proxy` wins when both are set',
  ),
  NODE_EXTRA_CA_CERTS: optionalString.describe(
    "read by Node itself at start: a PEM file of extra CA certificates (a private CA, a TLS-inspecting proxy's) " +
      'trusted beside the built-in ones for every vendor and proxy connection',
  ),
};

/**
 * `https_proxy`, `http_proxy` and `no_proxy` are not rows of their own, but are read too (and
 * win): checked alike. The variable and the problem, never the value.
 */
export function lowerCaseProxyProblem(
  cleaned: Record<string, string>,
): { readonly variable: string; readonly message: string } | undefined {
  try {
    readProxySettings(cleaned);
    return undefined;
  } catch (err) {
    if (!(err instanceof ProxyConfigError)) throw err;
    return { variable: err.variable, message: err.message };
  }
}
