import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../../src/config/env.ts';
import { parseHostPort, redisTopology } from '../../../src/config/env-redis.ts';

/** The Redis rows of the environment: the three connection forms, and what start-up refuses about them. */

function refusal(env: Record<string, string>): EnvError {
  try {
    parseEnv(env);
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error('environment unexpectedly valid');
}

describe('Redis connection forms', () => {
  it('is a single node by default, from REDIS_URL', () => {
    const env = parseEnv({ REDIS_URL: 'rediss://app:pw@redis.example.com:6380/2' });
    expect(redisTopology(env)).toEqual({ kind: 'single', url: 'rediss://app:pw@redis.example.com:6380/2' });
    expect(env.MIM_INTAKE_MIN_REPLICAS).toBe(0);
    expect(env.MIM_INTAKE_REPLICA_TIMEOUT_MS).toBe(500);
    expect(env.MIM_INTAKE_REPLICA_ACK).toBe('replicated');
  });

  it('is Sentinel with REDIS_SENTINELS and REDIS_SENTINEL_NAME, the URL still carrying the data nodes’ password', () => {
    const env = parseEnv({
      REDIS_SENTINELS: 's1.example.com:26379, 10.0.0.2:26380,[::1]:26381',
      REDIS_SENTINEL_NAME: 'mim',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
      REDIS_URL: 'redis://:data-pw@ignored:6379/3',
    });
    expect(redisTopology(env)).toEqual({
      kind: 'sentinel',
      url: 'redis://:data-pw@ignored:6379/3',
      sentinels: [
        { host: 's1.example.com', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'mim',
      sentinelPassword: 'sentinel-pw',
    });
  });

  it('is a Cluster with REDIS_CLUSTER_NODES, with a NAT map', () => {
    const env = parseEnv({
      REDIS_CLUSTER_NODES: 'n1:7000,n2:7001',
      REDIS_CLUSTER_NAT_MAP: '10.0.0.1:6379=203.0.113.5:7000, 10.0.0.2:6379=203.0.113.5:7001',
    });
    expect(redisTopology(env)).toEqual({
      kind: 'cluster',
      url: 'redis://127.0.0.1:6379',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      natMap: {
        '10.0.0.1:6379': { host: '203.0.113.5', port: 7000 },
        '10.0.0.2:6379': { host: '203.0.113.5', port: 7001 },
      },
    });
  });
});

describe('what start-up refuses', () => {
  it('refuses REDIS_SENTINELS and REDIS_CLUSTER_NODES together, naming both', () => {
    const err = refusal({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'mim', REDIS_CLUSTER_NODES: 'n1:7000' });
    expect(err.variables).toEqual(['REDIS_SENTINELS', 'REDIS_CLUSTER_NODES']);
    expect(err.message).toMatch(/REDIS_SENTINELS and REDIS_CLUSTER_NODES are both set/);
  });

  it.each([
    ['REDIS_SENTINELS', 's1', '"s1" is not host:port'],
    ['REDIS_SENTINELS', 's1:26379,s2:0', '"s2:0" is not host:port'],
    ['REDIS_CLUSTER_NODES', 'n1:70000', '"n1:70000" is not host:port'],
    ['REDIS_CLUSTER_NODES', 'http://n1:7000', '"http://n1:7000" is not host:port'],
    ['REDIS_CLUSTER_NODES', '::1:7000', '"::1:7000" is not host:port'],
  ])('refuses %s=%s, naming the bad entry', (name, value, message) => {
    const err = refusal({ [name]: value, REDIS_SENTINEL_NAME: name === 'REDIS_SENTINELS' ? 'mim' : '' });
    expect(err.variables).toEqual([name]);
    expect(err.message).toContain(`${name}: ${message}`);
  });

  it('needs the master name with sentinels', () => {
    const err = refusal({ REDIS_SENTINELS: 's1:26379' });
    expect(err.variables).toEqual(['REDIS_SENTINEL_NAME']);
    expect(err.message).toMatch(/REDIS_SENTINEL_NAME: required with REDIS_SENTINELS/);
  });

  it.each([
    ['REDIS_SENTINEL_NAME', 'mim', 'set without REDIS_SENTINELS'],
    ['REDIS_SENTINEL_PASSWORD', 'pw', 'set without REDIS_SENTINELS'],
    ['REDIS_CLUSTER_NAT_MAP', 'a:1=b:2', 'set without REDIS_CLUSTER_NODES'],
  ])('refuses %s alone: nothing would use it', (name, value, message) => {
    const err = refusal({ [name]: value });
    expect(err.variables).toEqual([name]);
    expect(err.message).toContain(`${name}: ${message}`);
    if (name === 'REDIS_SENTINEL_PASSWORD') expect(err.message).not.toContain(value);
  });

  it('refuses a NAT map entry that is not announced=reachable', () => {
    const err = refusal({ REDIS_CLUSTER_NODES: 'n1:7000', REDIS_CLUSTER_NAT_MAP: '10.0.0.1:6379=>x:1' });
    expect(err.variables).toEqual(['REDIS_CLUSTER_NAT_MAP']);
    expect(err.message).toContain('"10.0.0.1:6379=>x:1" is not announced-host:port=reachable-host:port');
  });

  it('refuses a database other than 0 with a Cluster', () => {
    const err = refusal({ REDIS_CLUSTER_NODES: 'n1:7000', REDIS_URL: 'redis://n1:7000/4' });
    expect(err.variables).toEqual(['REDIS_URL']);
    expect(err.message).toMatch(/names database 4, but a Redis Cluster has only database 0/);
  });

  it('refuses a replica wait as long as the whole intake deadline, naming both', () => {
    const err = refusal({
      MIM_INTAKE_MIN_REPLICAS: '1',
      MIM_INTAKE_REPLICA_TIMEOUT_MS: '1000',
      MIM_INTAKE_REDIS_TIMEOUT_MS: '1000',
    });
    expect(err.variables).toEqual(['MIM_INTAKE_REPLICA_TIMEOUT_MS', 'MIM_INTAKE_REDIS_TIMEOUT_MS']);
    expect(err.message).toMatch(/MIM_INTAKE_REPLICA_TIMEOUT_MS \(1000\) must be below MIM_INTAKE_REDIS_TIMEOUT_MS/);
    // Without replicas to wait for, the timeout is not used and not checked.
    expect(() =>
      parseEnv({ MIM_INTAKE_REPLICA_TIMEOUT_MS: '1000', MIM_INTAKE_REDIS_TIMEOUT_MS: '1000' }),
    ).not.toThrow();
  });

  it.each([
    ['MIM_INTAKE_MIN_REPLICAS', '-1'],
    ['MIM_INTAKE_MIN_REPLICAS', 'two'],
    ['MIM_INTAKE_REPLICA_TIMEOUT_MS', '0'],
    ['MIM_INTAKE_REPLICA_ACK', 'quorum'],
  ])('refuses %s=%s', (name, value) => {
    expect(refusal({ [name]: value }).variables).toEqual([name]);
  });
});

describe('parseHostPort', () => {
  it('reads names, IPv4 and bracketed IPv6, and nothing else', () => {
    expect(parseHostPort('redis-0.redis:6379')).toEqual({ host: 'redis-0.redis', port: 6379 });
    expect(parseHostPort('[fe80::1]:1')).toEqual({ host: 'fe80::1', port: 1 });
    expect(parseHostPort('host:65536')).toBeUndefined();
    expect(parseHostPort('host')).toBeUndefined();
    expect(parseHostPort('user@host:1')).toBeUndefined();
  });
});
