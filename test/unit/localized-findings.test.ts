import { join } from 'node:path';
import type { Finding } from '../../src/diagnosis/evidence';
import { LANGUAGES } from '../../src/i18n/languages';
import { diagnoseDir } from '../helpers/diagnose-dir';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

/** A finding's sentences built from evidence: its facts and steps, and its evidence texts. */
const sentences = (f: Finding) => [...f.remediation.steps, ...f.evidence.map((e) => e.text)].join('\n');

describe('findings written from evidence in the report’s language', () => {
  it('writes proxy-startup-econnrefused’s facts and evidence labels in Korean, with the same identifiers', async () => {
    const english = await diagnoseDir(join(EXAMPLES, 'proxy-startup-econnrefused'));
    const korean = await diagnoseDir(join(EXAMPLES, 'proxy-startup-econnrefused'), undefined, 'ko');
    const [en, ko] = [english.findings[0] as Finding, korean.findings[0] as Finding];

    expect(korean.language).toBe('ko');
    expect(ko.runbook).toBe(en.runbook);
    expect(ko.remediation.patches).toEqual(en.remediation.patches);
    expect(ko.remediation.steps[0]).toMatch(/^Pod cart-\S+에서 애플리케이션 연결이 .+에 거부되었으며/);
    expect(sentences(ko)).toContain('사이드카 준비 완료: ');
    expect(sentences(en)).toContain('sidecar ready: ');
    // Log lines stay as they were written.
    const line =
      en.evidence
        .find((e) => e.source === 'log')
        ?.text.split(': ')
        .slice(1)
        .join(': ') ?? '';
    expect(sentences(ko)).toContain(line);
    expect(korean.mesh?.summary).toBe(
      '메시: 클러스터 내 istiod를 사용하는 Istio. 워크로드의 데이터 플레인: 사이드카가 있는 Pod 5개.',
    );
  });

  it('writes sidecar-not-injected’s facts in every language, each its own', async () => {
    const dir = join(EXAMPLES, 'sidecar-not-injected-namespace-disabled');
    const facts = await Promise.all(
      LANGUAGES.map(async (l) => (await diagnoseDir(dir, undefined, l)).findings[0]?.remediation.steps[0] ?? ''),
    );

    expect(new Set(facts).size).toBe(LANGUAGES.length);
    expect(facts[LANGUAGES.indexOf('es')]).toMatch(/espacio de nombres/);
    expect(facts[LANGUAGES.indexOf('zh')]).toMatch(/命名空间/);
  });
});
