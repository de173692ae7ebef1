/** Help text of the mesh-doctor command. */
export const USAGE = `Usage:
  mesh-doctor diagnose --snapshot DIR [--namespace NS] [--workload NAME] [--format text|json] [--lang LANG] [--no-redact]
  mesh-doctor diagnose [--namespace NS] [--workload NAME] [--context C] [--project P] [--since 1h] ...   (live)
  mesh-doctor bot       the Slack app (HTTP or Socket Mode), /healthz and /metrics; queues diagnoses
  mesh-doctor worker    runs queued diagnoses and posts the reports (run as many as needed)
  mesh-doctor --help | --version

Diagnoses Istio / Cloud Service Mesh problems and prints what is wrong, the evidence and the runbook steps.

Options:
  --snapshot DIR   read captured kubectl -o json / gcloud logging read --format=json / kubectl logs files
  --namespace NS   only report problems that concern this namespace (and the control plane)
  --workload NAME  only report problems that concern this workload
  --format F       text (default) or json (one document; fields in docs/json-report.md)
  --lang LANG      language of the runbook text (default en; falls back to English)
  --no-redact      print secrets, client IPs and user agents as read (only for your own terminal: by
                   default they are redacted, so the output can be pasted into tickets;
                   MESH_REDACT_CLIENT_IPS=false keeps client IPs and user agents only)
  -h, --help       show this help

Exit status: 0 when the diagnosis ran (with or without findings), 2 for bad usage or unreadable input.
Example:
  mesh-doctor diagnose --snapshot examples/proxy-startup-econnrefused --format json
`;
