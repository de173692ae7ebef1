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
    'Perbaikan ({steps, plural, =1 {1 langkah} other {# langkah, diterapkan berurutan}}; mesh-doctor menerapkannya setelah disetujui di Slack, atau jalankan secara manual):',
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
    '*Perbaikan yang dapat diterapkan mesh-doctor* ({count, plural, =1 {1 langkah} other {# langkah, diterapkan berurutan}}, setelah disetujui)',
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
  'proxy-startup.evidence.started-at': 'istio-proxy dimulai pada {at}',
  'proxy-startup.evidence.all-ready': 'semua container siap (kondisi ContainersReady=True)',
  'proxy-startup.evidence.first-error': 'error aplikasi pertama: ',
  'proxy-startup.evidence.first-error-after': 'error aplikasi pertama ({after} setelah istio-proxy dimulai): ',
  'proxy-startup.evidence.sidecar-started': 'sidecar dimulai: ',
  'proxy-startup.evidence.not-ready': 'sidecar belum siap: ',
  'proxy-startup.evidence.still-not-ready': 'sidecar masih belum siap: ',
  'proxy-startup.evidence.ready': 'sidecar siap: ',
  'proxy-startup.evidence.never-ready': 'istio-proxy belum siap',
  'proxy-startup.fact.refused-then-ready':
    'Di pod {pod}, koneksi aplikasi ditolak pada {at}, sementara istio-proxy baru siap pada {readyAt} ({count, plural, other {# penolakan}} sebelum sidecar siap).',
  'proxy-startup.fact.refused-never-ready':
    'Di pod {pod}, koneksi aplikasi ditolak pada {at}, saat istio-proxy masih belum siap ({count, plural, other {# penolakan}} sebelum sidecar siap).',
  'proxy-startup.fact.same-race': '{count} pod dari {workload} menunjukkan race yang sama.',
  'proxy-startup.fact.no-patch': 'Tidak ada patch yang diusulkan: {reason}.',
  'proxy-startup.step.pending-hold':
    '{workload} sudah menetapkan holdApplicationUntilProxyStarts di template pod-nya (proxy.istio.io/config), tetapi pod {pod} dibuat sebelum perubahan itu dan masih menjalankan aplikasi bersamaan dengan istio-proxy.',
  'proxy-startup.step.pending-native':
    '{workload} sudah menetapkan {annotation}: "true" di template pod-nya, tetapi pod {pod} dibuat sebelum perubahan itu dan masih menjalankan aplikasi bersamaan dengan istio-proxy.',
  'proxy-startup.step.restart': 'Mulai ulang workload agar setiap pod menerapkan pengaturan tersebut: {command}.',
  'proxy-startup.step.check-hold':
    'Diagnosis ulang setelah rollout: pod baru seharusnya menampilkan istio-proxy di urutan pertama spec.containers dengan hook postStart (pilot-agent wait).',
  'proxy-startup.step.check-native':
    'Diagnosis ulang setelah rollout: pod baru seharusnya menampilkan istio-proxy di bawah spec.initContainers dengan restartPolicy Always.',
  'proxy-startup.step.held-cause':
    'Pod {pod} sudah berjalan dengan holdApplicationUntilProxyStarts (aplikasinya baru dimulai setelah istio-proxy siap), dan koneksi masih ditolak: race saat startup bukan penyebabnya, dan tidak ada yang perlu ditambahkan.',
  'proxy-startup.step.held-init':
    'Periksa container mana yang mencatat penolakan: init container (migrasi, agen Vault) berjalan sebelum penahanan berlaku; kecualikan tujuannya dari pengalihan atau gunakan sidecar native.',
  'proxy-startup.step.held-backend':
    'Periksa tujuannya: backend yang mati atau belum mendengarkan juga menolak koneksi dengan cara yang sama.',
  'proxy-startup.step.held-readiness':
    'Periksa apakah istio-proxy kehilangan status siap setelah dimulai (kegagalan readiness probe kemudian): penahanan hanya mencakup saat mulai.',
  'proxy-startup.step.unprobed-cause':
    'istio-proxy di pod {pod} adalah sidecar native (init container, restartPolicy Always) tanpa startupProbe: Kubernetes memulai aplikasi begitu proses proxy berjalan, bukan saat proxy siap.',
  'proxy-startup.step.unprobed-annotation':
    'holdApplicationUntilProxyStarts tidak berpengaruh pada sidecar native (Istio mengabaikannya di sana), jadi tidak ada anotasi yang diusulkan.',
  'proxy-startup.step.unprobed-probe':
    'Aktifkan kembali startup probe yang diinjeksikan (values.global.proxy.startupProbe.enabled: true, atau hapus override yang menonaktifkannya), lalu mulai ulang workload: Kubernetes kemudian menahan aplikasi sampai /healthz/ready di port 15021 merespons.',
  'mesh.kind.istiod': 'Istio dengan istiod di dalam cluster',
  'mesh.kind.managed': 'Cloud Service Mesh terkelola (Google menjalankan control plane)',
  'mesh.kind.gke-ambient':
    'jaringan ambient GKE (namespace gke-managed-ambient): produk Google dengan API kebijakan sendiri (GCPAuthzPolicy, GCPServerTLSPolicy), bukan mode ambient Istio; pemeriksaan Istio mesh-doctor tidak menggambarkannya',
  'mesh.kind.none': 'tidak ada control plane Istio yang terlihat dari yang dibaca',
  'mesh.pods.waypoint': '{count, plural, other {# pod}} ambient dengan waypoint {waypoints}',
  'mesh.pods.ambient': '{count, plural, other {# pod}} ambient (hanya ztunnel, tanpa waypoint)',
  'mesh.pods.sidecar': '{count, plural, other {# pod}} dengan sidecar',
  'mesh.pods.none': '{count, plural, other {# pod}} di luar mesh',
  'mesh.plane.empty': 'tidak ada pod yang berjalan dalam cakupan',
  'mesh.plane.unknown': 'tidak diketahui (pod tidak dibaca)',
  'mesh.summary.namespace': 'Mesh: {mesh}. Data plane {namespace}: {plane}.',
  'mesh.summary.all': 'Mesh: {mesh}. Data plane workload: {plane}.',
  'patch.field.template-annotation': 'anotasi template pod {key}',
  'patch.field.template-label': 'label template pod {key}',
  'patch.field.annotation': 'anotasi {key}',
  'patch.field.label': 'label {key}',
  'patch.set-settings': 'tetapkan {field}: {settings}',
  'patch.keeping': 'mempertahankan {settings}',
  'patch.restart': 'mulai ulang pod (rollout restart)',
  'patch.remove': 'hapus {field}',
  'patch.move': 'pindahkan anotasi {key} ke template pod',
  'patch.set': 'tetapkan {field}={value}',
  'patch.set-replacing': 'tetapkan {field}={value} (sebelumnya {before})',
  'patch.add-port': 'tambahkan {protocol} {port} ke {field}',
  'patch.op': '{op} {field}={value}',
  'patch.create': 'buat {target}',
  'patch.empty': 'patch {type} untuk {target}',
  'patch.on-target': '{change} pada {target}',
  'patch.of-target': '{change} dari {target}',
  'patch.and-then': '{first}, {rest}',
  'patch.more': '{summary} (+{count} lainnya)',
  'engine.fact.fixed-by-rollout': 'Gagal sampai rollout {workload} pada {at}; tidak ada error sejak itu.',
  'engine.step.nothing-to-apply':
    'Tidak ada yang perlu diterapkan: bukti di bawah berasal dari sebelum rollout. Diagnosis ulang {workload} jika error muncul lagi.',
  'engine.fact.pod-gone': 'Pod {pod} sudah tidak ada.',
  'engine.fact.object-missing': '{object} tidak ada di cluster (disebut oleh bukti).',
  'slack.more-findings': '_… {count, plural, other {# temuan}} lainnya di laporan terlampir_',
  'slack.too-long':
    ':page_facing_up: Slack menolak laporan ini sebagai satu pesan; laporan lengkap ada di file terlampir.',
  'slack.full-report': 'Laporan lengkap',
  'root.report-link': 'laporan di utas',
  'root.problems': '{count, plural, other {# masalah}}',
  'root.text': '{severity}: {title} di {target} ({problems})',
  'ask.pick-cluster':
    ':point_right: Beberapa cluster dilayani ({clusters}): sebutkan satu, misalnya {examples}, atau pilih di bawah. Tidak ada yang dimasukkan ke antrean.',
  'ask.unserved':
    ':no_entry: Tidak ada worker yang melayani {cluster} ({seen}), jadi tidak ada yang dimasukkan ke antrean.',
  'ask.seen-never': 'belum pernah ada worker yang melayaninya',
  'ask.seen-ago': 'terakhir terlihat {ago} yang lalu',
  'ask.served-now': 'Dilayani sekarang: {clusters}.',
  'ask.no-worker-running': 'Saat ini tidak ada worker yang berjalan.',
  'sidecar-injection.intent.others-injected': 'pod lain di namespace memiliki sidecar',
  'sidecar-injection.intent.configured': '{object} mengonfigurasi trafiknya',
  'sidecar-injection.intent.pods-ask': 'pod-podnya meminta injeksi (sidecar.istio.io/inject=true)',
  'sidecar-injection.intent.target': 'namespace ini disebut sebagai target diagnosis',
  'sidecar-injection.problem.unknown-revision':
    'namespace {namespace} memiliki istio.io/rev={rev}, tetapi tidak ada injector terpasang yang melayani revisi itu (terpasang: {installed})',
  'sidecar-injection.problem.wrong-value':
    'namespace {namespace} memiliki istio-injection={value}; hanya nilai "enabled" yang mengaktifkan injeksi',
  'sidecar-injection.problem.created-before':
    'namespace {namespace} sudah diaktifkan untuk injeksi, tetapi pod-pod ini dibuat tanpa sidecar (dibuat sebelum label, atau injector tidak tersedia)',
  'sidecar-injection.problem.no-label': 'namespace {namespace} tidak memiliki label injeksi, padahal {intent}',
  'sidecar-injection.evidence.labels': 'label: {labels}',
  'sidecar-injection.evidence.no-label': 'label: tidak ada label injeksi',
  'sidecar-injection.evidence.asks-but-none':
    'meminta injeksi (sidecar.istio.io/inject=true) tetapi tidak memiliki istio-proxy (container: {containers})',
  'sidecar-injection.evidence.no-sidecar': 'container: {containers} (tanpa istio-proxy)',
  'sidecar-injection.evidence.refused-plaintext': 'plaintext ditolak: ',
  'sidecar-injection.evidence.strict': 'mewajibkan TLS timbal balik (mode STRICT)',
  'sidecar-injection.fact.overruled':
    '{workloads} ({count, plural, other {# workload}}) meminta sidecar dengan sidecar.istio.io/inject=true, tetapi namespace {namespace} berlabel istio-injection=disabled yang lebih diutamakan: webhook injector hanya mempertimbangkan permintaan pod sendiri di namespace tanpa label istio-injection, jadi pod-pod ini tidak pernah dikirim ke injector.',
  'sidecar-injection.step.remove-disabled':
    'Untuk menginjeksinya: hapus label namespace (kubectl label namespace {namespace} istio-injection-), pertahankan sidecar.istio.io/inject: "true" sebagai label template pod (anotasi saja tidak dicocokkan oleh webhook), lalu mulai ulang workload. Pod di namespace tanpa label itu tetap tidak diinjeksi.',
  'sidecar-injection.step.stay-out':
    'Jika namespace memang tidak dimasukkan ke mesh, hapus sidecar.istio.io/inject dari template pod agar tidak lagi mengaku berada di dalamnya.',
  'sidecar-injection.fact.pods-without':
    '{problem}: {count, plural, other {# pod}} dari {workloads} berjalan tanpa sidecar.',
  'occurrence.seen': 'terlihat {count, plural, other {# kali}}',
  'occurrence.seen-at': 'terlihat {count, plural, other {# kali}} pada {at}',
  'occurrence.seen-from-to': 'terlihat {count, plural, other {# kali}} dari {from} sampai {to} ({during})',
  'occurrence.last-before-newest': '{seen}, terakhir {ago} sebelum bukti terbaru',
  'upstream-503.terminating-pod': '{pod} sejak {at} ({seen})',
  'upstream-503.and-more': '{listed} dan {count} lainnya',
  'upstream-503.fact.rollout':
    '{count} dari {total} 503 UC terjadi dalam {minutes} menit saat pod {workload} berhenti: {pods}. Permintaan masih dikirim lewat koneksi ke pod yang sedang dimatikan, yang lalu me-reset-nya.',
  'upstream-503.fact.rollout-hbone':
    '{count} dari {total} 503 UC terjadi dalam {minutes} menit saat pod {workload} berhenti: {pods}. Permintaan masih dikirim lewat koneksi HBONE ke pod yang sedang dimatikan, yang lalu me-reset-nya.',
  'upstream-503.step.retries':
    'Tambahkan retry ke rute untuk {host} agar permintaan yang di-reset oleh pod yang sedang berhenti dikirim lagi ke pod lain: attempts 3, perTryTimeout 5s, retryOn gateway-error,connect-failure,refused-stream (gateway-error juga mengulang permintaan yang koneksinya di-reset sebelum respons). Retry berlaku untuk semua metode HTTP, jadi lakukan ini hanya jika handler-nya idempoten.',
  'upstream-503.step.drain':
    'Biarkan pod menguras koneksi sebelum berhenti: hook preStop yang menunggu beberapa detik (lebih lama dari waktu mesh menghapus pod dari endpoint-nya), terminationGracePeriodSeconds di atas itu, dan aplikasi yang menyelesaikan permintaan yang sedang berjalan saat SIGTERM alih-alih langsung menutup koneksinya.',
  'upstream-503.step.ztunnel-logs':
    'Baca log ztunnel dari node tempat pod berjalan pada menit-menit itu (kubectl -n istio-system logs -l app=ztunnel --since=1h, difilter menurut IP pod) untuk melihat koneksi HBONE yang berakhir bersama pod.',
  'upstream-503.step.also-idle':
    'Sebagian 503 UC terjadi pada waktu lain: naikkan juga timeout keep-alive HTTP aplikasi di atas idle timeout proxy (Node.js: server.keepAliveTimeout = 65000).',
  'upstream-503.evidence.own-log': 'log-nya sendiri melaporkan 503 connection termination: {seen}',
  'upstream-503.evidence.towards': '503 UC / connection termination ke {host}: {seen}',
  'upstream-503.evidence.terminating': 'sedang berhenti ({seen})',
  'upstream-503.fact.caller-only':
    '{workload} mencatat jawaban Envoy "upstream connect error or disconnect/reset before headers. reset reason: connection termination" tanpa menyebut layanan yang dipanggilnya: temukan panggilan itu di kodenya atau di access log sidecar-nya (503 UC), lalu naikkan timeout keep-alive HTTP upstream tersebut di atas idle timeout proxy, atau tetapkan connectionPool.http.idleTimeout yang lebih pendek di DestinationRule untuknya.',
  'upstream-503.fact.keep-alive':
    '{workload} menutup koneksi keep-alive yang menganggur sebelum Envoy berhenti memakainya kembali. Naikkan timeout keep-alive HTTP-nya di atas idle timeout proxy (untuk Node.js: server.keepAliveTimeout = 65000 dan server.headersTimeout = 66000), atau tetapkan connectionPool.http.idleTimeout yang lebih pendek di DestinationRule untuk {host}.',
  'upstream-503.fact.logged-by': '503 UC dicatat oleh {senders}.',
  'upstream-503.fact.logged-by-hbone':
    '503 UC dicatat oleh {senders}, yang menjangkau pod melalui terowongan HBONE (mode ambient).',
  'istio-init.exit-code': 'kode keluar {code}',
  'istio-init.exit-code-reason': 'kode keluar {code} ({reason})',
  'istio-init.restarts': '{count, plural, other {# kali}} mulai ulang',
  'istio-init.evidence.failed': '{container} gagal: {status}',
  'istio-init.cause.pod-security':
    'namespace {namespace} menerapkan Pod Security "{level}", yang melarang NET_ADMIN/NET_RAW',
  'istio-init.cause.cni':
    'plugin CNI Istio tidak menyiapkan jaringan pod (istio-cni-node belum siap di node atau instalasi tidak lengkap)',
  'istio-init.cause.iptables':
    'istio-init tidak boleh memprogram iptables (CAP_NET_ADMIN/NET_RAW tidak ada atau kebijakan keamanan pod yang ketat)',
  'istio-init.cause.admission':
    'admission (Pod Security atau PodSecurityPolicy) menolak kapabilitas NET_ADMIN/NET_RAW yang dibutuhkan istio-init, sehingga pod bahkan tidak dibuat',
  'istio-init.cni-not-ready': 'DaemonSet {daemonset} memiliki {ready}/{desired} pod yang siap',
  'istio-init.fact.likely-cause': 'Kemungkinan penyebab: {cause}.',
  'apiserver.evidence.first': 'pertama: ',
  'apiserver.evidence.errors': 'error server API: {seen}',
  'apiserver.fact.unreachable': '{istiod} tidak dapat menjangkau server API; {seen}.',
  'apiserver.fact.unreachable-at': '{istiod} tidak dapat menjangkau server API di {address}; {seen}.',
  'apiserver.fact.unreachable-watching': '{istiod} tidak dapat menjangkau server API saat memantau {kinds}; {seen}.',
  'apiserver.fact.unreachable-at-watching':
    '{istiod} tidak dapat menjangkau server API di {address} saat memantau {kinds}; {seen}.',
  'apiserver.fact.ca-secret':
    'Karena alasan yang sama, CA tidak dapat membaca atau menyimpan secret penandatanganannya ({secret}): sampai bisa, istiod tidak memulai CA-nya, atau memulainya dengan root self-signed baru yang tidak dipercaya oleh workload yang ditandatangani oleh root lama.',
  'xds-upstream.fact.check-service':
    'Proxy diarahkan untuk menjangkau istiod di {address}; periksa apakah Service ini ada.',
  'xds-upstream.fact.service-exists':
    'discoveryAddress {address} menunjuk Service yang ada; periksa apakah istiod di baliknya siap dan port {port} dapat dijangkau.',
  'xds-upstream.fact.service-missing':
    'discoveryAddress {address} menunjuk Service yang tidak ada: arahkan ke Service istiod dari revisi yang terpasang.',
  'xds-upstream.evidence.failures': 'kegagalan stream xDS: {seen}',
  'stale-webhook.evidence.calls-missing': 'memanggil Service {services}, yang sudah tidak ada',
  'stale-webhook.fact.delete': 'Hapus {object} jika milik revisi yang sudah tidak terpasang ({command}).',
  'language.zh-Hant': 'Laporan ini dalam bahasa Mandarin Sederhana: bahasa Mandarin Tradisional belum tersedia.',
};
