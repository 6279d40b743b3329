/**
 * Starts one throwaway `redis-server` on a free loopback port for the package's tests, hands
 * its URL to them (`inject('redisUrl')`), and stops it afterwards.
 */
import type { TestProject } from 'vitest/node';
import { startRedisServer } from '../src/testing/start-redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startRedisServer();
  project.provide('redisUrl', server.url);
  return () => server.stop();
}
