import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../../src/config/env.ts';
import {
  describeProxySettings,
  ProxyConfigError,
  proxyFor,
  readProxySettings,
} from '../../../src/connectors/shared/proxy-env.ts';
import { logOutboundProxy } from '../../../src/connectors/shared/proxy-agents.ts';
import { bypassesProxy, parseNoProxy } from '../../../src/connectors/shared/proxy-no-proxy.ts';

/**
 * The pure half of the outbound proxy: which variables win, and NO_PROXY as curl reads it
 * (https://curl.se/libcurl/c/CURLOPT_NOPROXY.html). No network; proxy.test.ts drives a real proxy.
 */

const direct = (noProxy: string, url: string) => {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  return bypassesProxy(parseNoProxy(noProxy), target.hostname, port);
};

describe('NO_PROXY (curl conventions)', () => {
  it.each([
    ['example.com', 'https://example.com/', true],
    ['example.com', 'https://api.example.com/', true],
    ['example.com', 'https://badexample.com/', false],
    ['example.com', 'https://example.com.evil.test/', false],
    ['.example.com', 'https://api.example.com/', true],
    ['.example.com', 'https://example.com/', true],
    ['*.example.com', 'https://a.b.example.com/', true],
    ['EXAMPLE.com', 'https://Api.Example.COM./', true],
    ['*', 'https://anything.test/', true],
    ['other.test, *', 'https://anything.test/', true],
    ['', 'https://example.com/', false],
    ['example.com:8443', 'https://example.com:8443/', true],
    ['example.com:8443', 'https://example.com/', false],
    ['example.com:443', 'https://example.com/', true],
    ['localhost,127.0.0.1', 'http://127.0.0.1:8080/', true],
    ['127.0.0.1', 'http://127.0.0.2/', false],
    ['10.0.0.0/8', 'https://10.20.30.40/', true],
    ['10.0.0.0/8', 'https://11.0.0.1/', false],
    ['10.0.0.0/8', 'https://ten.example/', false],
    ['::1', 'http://[::1]:8080/', true],
    ['[::1]:8080', 'http://[::1]:8080/', true],
    ['[::1]:8080', 'http://[::1]:9090/', false],
    ['fd00::/8', 'https://[fd12::1]/', true],
    ['intranet.test other.test', 'https://x.other.test/', true],
  ])('%j → %s goes direct: %s', (noProxy, url, expected) => {
    expect(direct(noProxy, url)).toBe(expected);
  });

  it.each(['10.0.0.0/33', 'not-an-ip/8', 'host:99999', 'user@host'])('refuses the entry %j', (entry) => {
    expect(() => readProxySettings({ NO_PROXY: `ok.test,${entry}` })).toThrow(ProxyConfigError);
  });
});

describe('proxy variables', () => {
  const PROXY = 'http://user:s3cret@proxy.corp.test:3128';

  it('https targets use HTTPS_PROXY, http targets HTTP_PROXY, never each other', () => {
    const both = readProxySettings({ HTTPS_PROXY: PROXY, HTTP_PROXY: 'http://plain.corp.test:8080' });
    expect(proxyFor(both, new URL('https://x.service-now.com/'))?.host).toBe('proxy.corp.test:3128');
    expect(proxyFor(both, new URL('http://sim.local/'))?.host).toBe('plain.corp.test:8080');
    const httpOnly = readProxySettings({ HTTP_PROXY: PROXY });
    expect(proxyFor(httpOnly, new URL('https://x.service-now.com/'))).toBeUndefined();
  });

  it('the lower-case form wins; empty counts as unset', () => {
    const s = readProxySettings({ https_proxy: 'http://lower.test:1', HTTPS_PROXY: 'http://upper.test:2' });
    expect(s.https?.variable).toBe('https_proxy');
    expect(readProxySettings({ https_proxy: ' ', HTTPS_PROXY: 'http://upper.test:2' }).https?.variable).toBe(
      'HTTPS_PROXY',
    );
    expect(readProxySettings({ NO_PROXY: 'a.test', no_proxy: 'b.test' }).noProxy).toMatchObject({
      entries: [{ text: 'b.test' }],
    });
  });

  it('a proxy without a scheme is an http:// one, as in curl', () => {
    const s = readProxySettings({ HTTPS_PROXY: 'proxy.corp.test:3128' });
    expect(s.https?.url.href).toBe('http://proxy.corp.test:3128/');
  });

  it('NO_PROXY hosts bypass the proxy', () => {
    const s = readProxySettings({ HTTPS_PROXY: PROXY, NO_PROXY: '.internal.test' });
    expect(proxyFor(s, new URL('https://jira.internal.test/'))).toBeUndefined();
    expect(proxyFor(s, new URL('https://example.atlassian.net/'))?.hostname).toBe('proxy.corp.test');
  });

  it.each([
    ['proxy.corp.test:3128x', 'must be a URL like http://'],
    ['socks5://proxy.corp.test:1080', 'SOCKS is not supported'],
    ['not a url', 'must be a URL'],
  ])('refuses %j, naming the variable and never the value', (value, reason) => {
    const err = (() => {
      try {
        readProxySettings({ https_proxy: value });
      } catch (e) {
        return e as ProxyConfigError;
      }
      throw new Error('expected ProxyConfigError');
    })();
    expect(err).toBeInstanceOf(ProxyConfigError);
    expect(err).toMatchObject({ code: 'PROXY_CONFIG_INVALID', variable: 'https_proxy' });
    expect(err.message).toContain(reason);
    expect(err.message).not.toContain(value);
  });

  it('describes the proxies as host:port with their variable, never the credentials', () => {
    const described = describeProxySettings(
      readProxySettings({ HTTPS_PROXY: PROXY, no_proxy: 'localhost, .internal.test' }),
    );
    expect(described).toEqual({
      httpsProxy: 'proxy.corp.test:3128 (HTTPS_PROXY)',
      httpProxy: 'none (direct)',
      noProxy: ['localhost', '.internal.test'],
    });
    expect(JSON.stringify(described)).not.toContain('s3cret');
    expect(describeProxySettings(readProxySettings({ HTTPS_PROXY: 'https://p.test' })).httpsProxy).toBe(
      'p.test:443 (HTTPS_PROXY)',
    );
  });
});

describe('start-up check (env.ts)', () => {
  it('a bad HTTPS_PROXY or NO_PROXY stops start-up naming the variable, never echoing the value', () => {
    const bad = 'proxy.corp.test:3128-with-s3cret';
    let caught: unknown;
    try {
      parseEnv({ HTTPS_PROXY: bad, NO_PROXY: '10.0.0.0/99' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EnvError);
    expect(caught).toMatchObject({ variables: ['HTTPS_PROXY', 'NO_PROXY'] });
    expect((caught as Error).message).not.toContain('s3cret');
  });

  it('checks the lower-case forms too', () => {
    expect(() => parseEnv({ https_proxy: 'socks5://proxy.corp.test:1080' })).toThrow(/https_proxy must be an http/);
    expect(() => parseEnv({ no_proxy: 'a.test,10.0.0.0/99' })).toThrow(EnvError);
  });

  it('accepts proxy URLs with credentials and curl-style NO_PROXY lists', () => {
    const env = parseEnv({
      HTTPS_PROXY: 'http://u:p@proxy.corp.test:3128',
      NO_PROXY: 'localhost,.corp.test,10.0.0.0/8',
    });
    expect(env.NO_PROXY).toBe('localhost,.corp.test,10.0.0.0/8');
  });
});

describe('the start-up log line', () => {
  const logged = (env: Record<string, string>) => {
    const lines: string[] = [];
    logOutboundProxy(pino({}, { write: (line: string) => lines.push(line) }), env);
    return lines;
  };

  it('names the proxy as host:port and the hosts that bypass it, never the credentials', () => {
    const lines = logged({ HTTPS_PROXY: 'http://u:s3cret@proxy.corp.test:3128', no_proxy: 'localhost,.corp.test' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 30,
      msg: 'outbound HTTP proxy',
      httpsProxy: 'proxy.corp.test:3128 (HTTPS_PROXY)',
      httpProxy: 'none (direct)',
      noProxy: ['localhost', '.corp.test'],
    });
    expect(lines.join('')).not.toContain('s3cret');
  });

  it('warns when only HTTP_PROXY is set, since https calls then go direct', () => {
    const lines = logged({ http_proxy: 'http://proxy.corp.test:3128' });
    expect(lines.map((l) => JSON.parse(l).level)).toEqual([30, 40]);
    expect(JSON.parse(lines[1]!).msg).toContain('http_proxy is set but not HTTPS_PROXY');
  });
});
