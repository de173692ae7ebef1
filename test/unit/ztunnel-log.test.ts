import { ipOfAddr, parseZtunnelLine, portOfAddr, ztunnelAccess } from '../../src/diagnosis/ztunnel';

const HBONE_TIMEOUT =
  '2026-09-02T10:00:04.118202Z\terror\taccess\tconnection complete\tsrc.addr=10.52.1.5:41234 src.workload="checkout-7c9d8f6b5d-q2w3e" src.namespace="shop" src.identity="spiffe://cluster.local/ns/shop/sa/checkout" dst.addr=10.52.0.10:15008 dst.hbone_addr=10.52.0.10:8080 dst.service="payments.shop.svc.cluster.local" dst.workload="payments-5f6d7c8b9a-k8l9m" dst.namespace="shop" direction="outbound" bytes_sent=0 bytes_recv=0 duration="10002ms" error="connection timed out, maybe a NetworkPolicy is blocking HBONE port 15008: deadline has elapsed"';

describe('ztunnel log lines', () => {
  it('splits an access-log line into its fields, quoted values unquoted', () => {
    const access = ztunnelAccess(HBONE_TIMEOUT);

    expect(access).toEqual({
      level: 'error',
      direction: 'outbound',
      srcAddr: '10.52.1.5:41234',
      dstAddr: '10.52.0.10:15008',
      hboneAddr: '10.52.0.10:8080',
      srcWorkload: 'checkout-7c9d8f6b5d-q2w3e',
      srcNamespace: 'shop',
      dstWorkload: 'payments-5f6d7c8b9a-k8l9m',
      dstNamespace: 'shop',
      dstService: 'payments.shop.svc.cluster.local',
      error: 'connection timed out, maybe a NetworkPolicy is blocking HBONE port 15008: deadline has elapsed',
      bytesSent: 0,
      bytesRecv: 0,
    });
  });

  it('reads a refused connection, a JSON line and a line whose tabs became spaces', () => {
    const failed = ztunnelAccess(
      '2026-09-02T10:00:00.000000Z\twarn\taccess\tconnection failed\tsrc.addr=10.52.1.5:41234 dst.addr=10.43.0.1:443 direction="outbound" error="no healthy upstream: 10.43.0.1:443"',
    );
    const json = ztunnelAccess(
      '{"level":"error","time":"2026-09-02T10:00:00Z","scope":"access","message":"connection complete","src.addr":"10.52.1.5:1","direction":"inbound","error":"connection closed due to policy rejection: allow policies exist, but none allowed"}',
    );
    const spaced = ztunnelAccess(HBONE_TIMEOUT.replace(/\t/g, '  '));

    expect(failed).toMatchObject({
      level: 'warn',
      dstAddr: '10.43.0.1:443',
      error: 'no healthy upstream: 10.43.0.1:443',
    });
    expect(json).toMatchObject({
      level: 'error',
      direction: 'inbound',
      error: expect.stringContaining('policy rejection'),
    });
    expect(spaced).toEqual(ztunnelAccess(HBONE_TIMEOUT));
  });

  it('is not fooled by other lines', () => {
    expect(ztunnelAccess('2026-09-02T10:00:00Z\tinfo\txds::client\tStream established')).toBeNull();
    expect(ztunnelAccess('[2026-09-02T10:00:00.000Z] "GET / HTTP/1.1" 503 UF - "-"')).toBeNull();
    expect(parseZtunnelLine('{"not":"ztunnel"}')).toBeNull();
    expect(parseZtunnelLine('plain text')).toBeNull();
    expect(
      parseZtunnelLine(
        '2026-09-02T10:00:00.000000Z\twarn\txds::client\tXDS client connection error: gRPC connection error',
      ),
    ).toMatchObject({
      level: 'warn',
      target: 'xds::client',
      message: 'XDS client connection error: gRPC connection error',
    });
  });

  it('splits addresses, IPv6 included', () => {
    expect([ipOfAddr('10.52.0.10:15008'), portOfAddr('10.52.0.10:15008')]).toEqual(['10.52.0.10', 15008]);
    expect(ipOfAddr('[fd00::5]:8080')).toBe('fd00::5');
    expect(ipOfAddr(null)).toBeNull();
  });
});
