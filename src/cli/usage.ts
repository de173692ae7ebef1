/** Help text of the mesh-doctor command. */
export const USAGE = `Usage:
  mesh-doctor diagnose --snapshot DIR [--namespace NS] [--workload NAME] [--format text|json] [--lang LANG] [--no-redact]
  mesh-doctor diagnose [--namespace NS] [--workload NAME] [--context C] [--project P] [--since 1h] ...   (live)
  mesh-doctor capture --output DIR [--namespace NS] [--context C] [--project P] [--since 1h]
  mesh-doctor bot       the Slack app (HTTP or Socket Mode), /healthz and /metrics; queues diagnoses
  mesh-doctor worker    runs queued diagnoses and posts the reports (run as many as needed)
  mesh-doctor --help | --version

Diagnoses Istio / Cloud Service Mesh problems and prints what is wrong, the evidence and the runbook steps.
capture reads the cluster exactly as a live diagnosis does and writes it as a snapshot directory
(docs/snapshot-format.md): diagnose --snapshot DIR of it gives the live diagnosis of that moment.
Secret values are never read into it (only type, key names and TLS certificate dates and names).

Options:
  --snapshot DIR   read captured kubectl -o json / gcloud logging read --format=json / kubectl logs files
                   (empty files are skipped with a warning)
  --output DIR     capture: where to write the snapshot (a new or empty directory)
  --namespace NS   only report problems that concern this namespace (and the control plane); a
                   namespace that does not exist is an error naming the closest ones
  --workload NAME  only report problems that concern this workload; without --namespace it is looked
                   for in every namespace
  --context C      live: the kubeconfig context (default the current one)
  --project P      live: the Cloud Logging project (default GOOGLE_CLOUD_PROJECT or the credentials';
                   without one, container logs come from the Kubernetes API)
  --since D        live: how far back to read logs, such as 30m, 1h (default) or 2d
  --format F       text (default) or json (one document; fields in docs/json-report.md)
  --lang LANG      language of the runbook text (default en; falls back to English)
  --no-redact      print secrets, client IPs and user agents as read (only for your own terminal: by
                   default they are redacted, so the output can be pasted into tickets;
                   MESH_REDACT_CLIENT_IPS=false keeps client IPs and user agents only)
  -h, --help       show this help

--context, --project and --since read a live cluster: they cannot be given with --snapshot.

Exit status: 0 when the diagnosis ran (with or without findings), 2 for bad usage, unreadable input, a
target that does not exist, or a capture directory that is not empty.
Examples:
  mesh-doctor diagnose --snapshot examples/proxy-startup-econnrefused --format json
  mesh-doctor capture --output snap-$(date +%Y%m%d-%H%M) --namespace shop --since 2h
`;
