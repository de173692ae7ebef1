import { buildLogFilters } from '../../src/collect/live/log-query';
import { compileFilter } from '../fakes/cloud-logging';
import type { LogEntry } from '../fakes/cloud-logging';
import { canonicalTime } from '../fakes/cloud-logging/log-entry';
import { catalog } from '../helpers/diagnose-dir';

const filters = buildLogFilters(catalog.signatures, { namespaces: ['shop'], sinceIso: '2026-03-10T11:00:00.000Z' });

function read(entry: LogEntry): boolean {
  return filters.map(compileFilter).some((p) => p({ entry, time: canonicalTime(entry.timestamp) ?? '' }));
}

function accessLog(fields: Record<string, unknown>): LogEntry {
  return {
    timestamp: '2026-03-10T11:30:00.000Z',
    logName: 'projects/p/logs/stdout',
    resource: {
      type: 'k8s_container',
      labels: { namespace_name: 'shop', pod_name: 'cart-1', container_name: 'istio-proxy' },
    },
    jsonPayload: { method: 'GET', path: '/cart', ...fields },
  } as LogEntry;
}

describe('the Cloud Logging query and Envoy JSON access logs', () => {
  it('reads entries with a response flag (a refused plaintext connection, a missing route), besides 503s', () => {
    expect(
      read(accessLog({ response_code: 0, response_flags: 'NR', response_code_details: 'filter_chain_not_found' })),
    ).toBe(true);
    expect(
      read(accessLog({ response_code: 404, response_flags: 'NR', response_code_details: 'route_not_found' })),
    ).toBe(true);
    expect(read(accessLog({ response_code: 503, response_flags: 'UH' }))).toBe(true);
  });

  it('leaves ordinary traffic out', () => {
    expect(read(accessLog({ response_code: 200, response_flags: '-' }))).toBe(false);
    expect(read(accessLog({ response_code: 404, response_flags: '-' }))).toBe(false);
  });

  it('reads Cloud Service Mesh traffic entries with a response flag', () => {
    const traffic = (status: number, flag: string): LogEntry =>
      ({
        timestamp: '2026-03-10T11:30:00.000Z',
        logName: 'projects/p/logs/server-accesslog-stackdriver',
        resource: { type: 'k8s_container', labels: { namespace_name: 'shop' } },
        httpRequest: { status },
        labels: { response_flag: flag },
      }) as unknown as LogEntry;

    expect(read(traffic(404, 'NR'))).toBe(true);
    expect(read(traffic(200, '-'))).toBe(false);
  });
});
