import { accessSymptoms, symptomEvidence, symptomText } from '../../src/diagnosis/access-symptoms';
import { ClusterView } from '../../src/diagnosis/cluster-view';
import { evidenceOf, logEntry } from '../helpers/evidence';

function accessLine(time: string, pod: string, codeFlagsDetails: string, cluster: string, route: string) {
  return logEntry(
    time,
    'bookinfo',
    pod,
    'istio-proxy',
    `[${time}] "GET /reviews/0 HTTP/1.1" ${codeFlagsDetails} - "-" 0 0 0 - "-" "python-requests/2.32.3" "4c1d8e0a-77b2-4f3e-9a61-0d2f5b8c9e14" "reviews:9080" "-" ${cluster} - 10.96.81.4:9080 10.244.1.23:50412 - ${route}`,
  );
}

describe('accessSymptoms', () => {
  const view = new ClusterView(
    evidenceOf(
      [],
      [
        accessLine(
          '2026-11-30T08:10:00Z',
          'productpage-v1-6b7f8c9d4-x2x7q',
          '503 NC cluster_not_found',
          'outbound|9080|v3|reviews.bookinfo.svc.cluster.local',
          'reviews-canary',
        ),
        accessLine(
          '2026-11-30T08:12:30Z',
          'productpage-v1-6b7f8c9d4-x2x7q',
          '503 NC cluster_not_found',
          'outbound|9080|v3|reviews.bookinfo.svc.cluster.local',
          'reviews-canary',
        ),
        accessLine(
          '2026-11-30T08:11:00Z',
          'productpage-v1-6b7f8c9d4-x2x7q',
          '503 UH no_healthy_upstream',
          'outbound|9080|v2|reviews.bookinfo.svc.cluster.local',
          'reviews-v2',
        ),
        accessLine(
          '2026-11-30T08:11:30Z',
          'productpage-v1-6b7f8c9d4-x2x7q',
          '200 - via_upstream',
          'outbound|9080|v1|reviews.bookinfo.svc.cluster.local',
          'default',
        ),
      ],
    ),
  );

  it('groups the accepted requests by route, cluster and authority with their count and time span', () => {
    const symptoms = accessSymptoms(view, (r) => r.flags.includes('NC') || r.flags.includes('UH'));

    expect(symptoms.map((s) => [s.route, s.cluster, s.count, s.first, s.last, s.outcomes])).toEqual([
      [
        'reviews-canary',
        'outbound|9080|v3|reviews.bookinfo.svc.cluster.local',
        2,
        '2026-11-30T08:10:00Z',
        '2026-11-30T08:12:30Z',
        ['503 NC'],
      ],
      [
        'reviews-v2',
        'outbound|9080|v2|reviews.bookinfo.svc.cluster.local',
        1,
        '2026-11-30T08:11:00Z',
        '2026-11-30T08:11:00Z',
        ['503 UH'],
      ],
    ]);
    expect(symptoms[0]?.loggedBy).toEqual([{ kind: 'Deployment', namespace: 'bookinfo', name: 'productpage-v1' }]);
  });

  it('keeps only what the predicate accepts, and never lines no signature matched', () => {
    expect(accessSymptoms(view, (r) => r.cluster?.subset === 'v3')).toHaveLength(1);
    expect(accessSymptoms(view, (r) => r.code === 200)).toEqual([]);
  });

  it('states the outcome, route, cluster and span in the evidence text', () => {
    const [symptom] = accessSymptoms(view, (r) => r.flags.includes('NC'));

    expect(symptomText(symptom!, null)).toBe(
      '2 request(s) answered 503 NC (route reviews-canary, cluster outbound|9080|v3|reviews.bookinfo.svc.cluster.local, authority reviews:9080), seen 2 time(s) from 2026-11-30T08:10:00Z to 2026-11-30T08:12:30Z (2 min 30 s)',
    );
    expect(symptomEvidence(symptom!)).toMatchObject({
      source: 'log',
      timestamp: '2026-11-30T08:12:30Z',
      text: expect.stringMatching(
        /^2 request\(s\) answered 503 NC; latest: bookinfo\/productpage-v1-6b7f8c9d4-x2x7q\[istio-proxy\]: \[2026-11-30T08:12:30Z\] "GET/,
      ),
    });
  });
});
