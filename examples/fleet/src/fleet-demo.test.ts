import { startRedisServer } from '@reins/bullmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetDemo } from './fleet-demo.js';

let server: Awaited<ReturnType<typeof startRedisServer>>;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server.stop());

describe('the fleet example', () => {
  it('finishes every run once, stops the interrupted one, and takes over a killed worker’s runs', async () => {
    const lines: string[] = [];
    const report = await runFleetDemo({
      redisUrl: server.url,
      runs: 12,
      capUsd: 1,
      log: (line) => lines.push(line),
    });
    expect(report.summaries).toHaveLength(12);
    expect(report.interrupted.status).toBe('stopped');
    expect(report.summaries.filter((summary) => summary.status === 'done')).toHaveLength(11);
    expect(report.resumed.length + report.restarted.length).toBeGreaterThan(0);
    expect(report.labels).toBe(report.labelledTickets);
    expect(report.spentUsd + report.reservedUsd).toBeLessThanOrEqual(1);
    expect(lines.some((line) => line.startsWith('SIGKILL worker'))).toBe(true);
  }, 120_000);
});
