import type { Messages } from './en';

/** Indonesian (no plural forms: every count uses `other`). */
export const id: Messages = {
  'target.all-namespaces': 'semua namespace',
  'target.in-cluster': '{target} di {cluster}',
  'target.namespace': 'namespace {namespace}',
  'target.workload': 'workload {workload}',
  'target.with-cluster': '{target}, cluster {cluster}',
  'verdict.problems': '{count, plural, other {# masalah}} di {target}',
  'verdict.clear': 'Tidak ada masalah yang ditemukan di {target}',
  'verdict.unread': 'Tidak dapat membaca cluster: {count, plural, other {# pemeriksaan}} gagal ({failures})',
  'verdict.partial':
    'Tidak ada masalah yang ditemukan pada bagian {target} yang dapat dibaca; {count, plural, other {# pemeriksaan}} tidak dapat dijalankan',
  'verdict.more-failures': '{names}, dan {more} lainnya',
  'text.headline': 'mesh-doctor: {verdict}',
  'text.headline.problems': 'mesh-doctor: ditemukan {count, plural, other {# masalah}} ({target})',
  'text.headline.problems-and-failures':
    'mesh-doctor: ditemukan {count, plural, other {# masalah}} ({target}); {failed, plural, other {# pemeriksaan}} tidak dapat dijalankan, lihat di bawah',
  'text.state-when-read': '(status saat dibaca)',
  'text.finding.runbook': 'runbook {runbook}, tingkat keyakinan {confidence}',
  'text.finding.resources': 'Resource: {resources}',
  'text.finding.evidence': 'Bukti:',
  'text.finding.steps': 'Yang harus dilakukan:',
  'text.finding.fix':
    'Perbaikan ({steps, plural, other {# langkah, diterapkan berurutan}}; mesh-doctor menerapkannya setelah disetujui di Slack, atau jalankan secara manual):',
  'severity.critical': 'kritis',
  'severity.warning': 'peringatan',
  'severity.info': 'info',
  'checks.counts': 'Pemeriksaan: {counts}',
  'checks.none': 'Pemeriksaan: tidak ada yang dijalankan',
  'checks.absent-kinds': 'tidak terinstal (tanpa CRD), tidak ada yang dibaca: {kinds}',
  'checks.nothing-to-look-at':
    '{count, plural, other {# pemeriksaan}} tidak memiliki apa pun untuk diperiksa (yang dibacanya tidak direkam atau tidak terinstal): {ids}',
  'language.zh-Hant': 'Laporan ini dalam bahasa Mandarin Sederhana: bahasa Mandarin Tradisional belum tersedia.',
};
