import { InvalidOptionsError } from '@reins/core';
import { Redis } from 'ioredis';

/** Options of a Redis connection, as ioredis takes them (`host`, `port`, `password`, `db`, `tls`…). */
export interface RedisConnectionOptions {
  readonly host?: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  /** TLS options (`{}` for TLS with the defaults). */
  readonly tls?: object;
  /** Any other ioredis option. */
  readonly [option: string]: unknown;
}

/**
 * Where the fleet's Redis is: a `redis://` (or `rediss://`) URL, or ioredis options
 * (`{ host, port, password, db, tls… }`).
 */
export type RedisConnection = string | RedisConnectionOptions;

/** ioredis' client constructor, taking plain options. */
const RedisClient = Redis as unknown as new (options: RedisConnectionOptions) => Redis;

/**
 * The connection as ioredis options. BullMQ's workers need `maxRetriesPerRequest: null`
 * (commands wait for a reconnect instead of failing), so it is set here for every client.
 */
export function toRedisOptions(
  connection: RedisConnection,
  field = 'connection',
): RedisConnectionOptions & { maxRetriesPerRequest: null } {
  if (typeof connection === 'string') {
    let url: URL;
    try {
      url = new URL(connection);
    } catch (error) {
      throw new InvalidOptionsError(
        field,
        `${field} '${connection}' is not a URL. Use 'redis://host:port' (or ioredis options such as { host, port }).`,
        { cause: error },
      );
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new InvalidOptionsError(
        field,
        `${field} '${connection}' uses '${url.protocol}'; use 'redis://host:port' or 'rediss://host:port'.`,
      );
    }
    const database = url.pathname.replace(/^\//, '');
    return {
      host: url.hostname,
      port: url.port === '' ? 6379 : Number(url.port),
      ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
      ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
      ...(database === '' ? {} : { db: Number(database) }),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
      maxRetriesPerRequest: null,
    };
  }
  if (typeof connection !== 'object' || connection === null) {
    throw new InvalidOptionsError(
      field,
      `${field} is ${String(connection)}; use 'redis://host:port' or ioredis options such as { host: '127.0.0.1', port: 6379 }.`,
    );
  }
  return { ...connection, maxRetriesPerRequest: null };
}

/** A new ioredis client on `connection`. */
export function openRedis(connection: RedisConnection, field?: string): Redis {
  return new RedisClient(toRedisOptions(connection, field));
}
