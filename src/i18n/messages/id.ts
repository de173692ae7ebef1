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
  'slack.asked-by': 'Diminta oleh {user}',
  'slack.checks-failed.partial':
    ':warning: {count, plural, other {# pemeriksaan}} tidak dapat dijalankan; ini hanya mencakup yang dapat dibaca.',
  'slack.checks-failed.see-end':
    ':warning: {count, plural, other {# pemeriksaan}} tidak dapat dijalankan; lihat bagian akhir.',
  'slack.could-not-check': '*Tidak dapat diperiksa*',
  'slack.more-in-report': '_… {count} lainnya di laporan terlampir_',
  'slack.approvals-off':
    'Persetujuan patch tidak dikonfigurasi di sini: Setujui dan Tolak hanya akan memberi tahu hal itu.',
  'slack.finding.meta': '{severity} · runbook `{runbook}` · tingkat keyakinan {confidence}',
  'slack.finding.resources': '*Resource:* {resources}',
  'slack.finding.no-resources': 'tidak ada yang disebut',
  'slack.finding.more-resources': '_… {count, plural, other {# resource}} lainnya di laporan terlampir_',
  'slack.finding.steps': '*Yang harus dilakukan*',
  'slack.finding.fix':
    '*Perbaikan yang dapat diterapkan mesh-doctor* ({count, plural, other {# langkah, diterapkan berurutan}}, setelah disetujui)',
  'slack.finding.more-steps': '_… {count, plural, other {# langkah}} lainnya di laporan terlampir_',
  'slack.evidence': '*Bukti*',
  'slack.timeline': '*Linimasa* sejak {start}, dalam zona waktu Anda',
  'slack.button.approve': 'Setujui',
  'slack.button.reject': 'Tolak',
  'slack.confirm.apply.title': 'Terapkan perbaikan ini?',
  'slack.confirm.apply.text': 'Mem-patch {targets}.',
  'slack.confirm.apply': 'Terapkan',
  'slack.confirm.reject.title': 'Tolak perbaikan ini?',
  'slack.confirm.reject.text': 'Tidak ada yang diterapkan ke {targets}.',
  'slack.confirm.then': '{first}, lalu {next}',
  'slack.progress': 'Sedang mendiagnosis…',
  'slack.progress.reading': 'Membaca cluster dan log-nya…',
  'slack.root.diagnosing': 'Mendiagnosis {target}, diminta oleh {user}',
  'slack.root.details': 'Diminta oleh {user} · detail di utas',
  'ask.what.webhooks': 'webhook mesh',
  'ask.what.injection': 'injeksi sidecar di {namespace}',
  'ask.what.config': 'konfigurasi mesh {namespace}',
  'lang.chosen':
    'Mulai sekarang mesh-doctor menulis kepada Anda dalam {language}. `/mesh lang auto` kembali mengikuti bahasa Slack Anda.',
  'lang.auto': 'mesh-doctor kini menulis kepada Anda dalam bahasa Slack Anda ({language}).',
  'lang.current.chosen':
    'mesh-doctor menulis kepada Anda dalam {language}, sesuai pilihan Anda. Ubah dengan `/mesh lang <kode>` ({codes}) atau `/mesh lang auto`.',
  'lang.current.auto':
    'mesh-doctor menulis kepada Anda dalam {language}, berdasarkan bahasa Slack Anda, saluran, atau bawaan. Pilih bahasa lain dengan `/mesh lang <kode>` ({codes}).',
  'language.zh-Hant': 'Laporan ini dalam bahasa Mandarin Sederhana: bahasa Mandarin Tradisional belum tersedia.',
};
