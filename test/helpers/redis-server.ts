// The demo's private Redis and the tests' share one way to start redis-server on a free port.
export {
  type RedisServerProcess,
  type SpawnRedisServerOptions,
  spawnRedisServer,
} from '../../sandbox/shared/redis-server.ts';
