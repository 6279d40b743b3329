/**
 * Helpers for tests, benchmarks and examples of a Reins fleet: a throwaway `redis-server` on a
 * free loopback port.
 *
 * @module @reins/bullmq/testing
 */
export {
  type RedisServer,
  type StartRedisServerOptions,
  startRedisServer,
} from './start-redis-server.js';
