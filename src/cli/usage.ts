/** Help text of the mesh-doctor command (and of diagnose and capture). */
export const USAGE = `Usage:
  mesh-doctor diagnose --snapshot DIR [--namespace NS] [--workload NAME] [--format text|json] [--lang LANG] [--no-redact]
  mesh-doctor diagnose [--namespace NS] [--workload NAME] [--context C | --all-contexts] [--project P] [--since 1h] ...   (live)
  mesh-doctor capture --output DIR [--namespace NS] [--context C] [--project P] [--since 1h]
  mesh-doctor bot       the Slack app (HTTP or Socket Mode), /healthz and /metrics; queues diagnoses
  mesh-doctor worker    runs queued diagnoses and posts the reports (run as many as needed)
  mesh-doctor help [COMMAND] | version     (also --help, COMMAND --help, --version)

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
  --all-contexts   live: every context of the kubeconfig, one report each (a JSON array with --format json)
  --project P      live: the Cloud Logging project (default GOOGLE_CLOUD_PROJECT or the credentials';
                   without one, container logs come from the Kubernetes API)
  --since D        live: how far back to read logs, such as 30m, 1h (default) or 2d
  --format F       text (default) or json (one document; fields in docs/json-report.md)
  --lang LANG      language of the report: en, es, ko, pt, zh or id (a locale such as pt-BR works too);
                   default the locale of LC_ALL, LC_MESSAGES or LANG, else English
  --no-redact      print secrets, client IPs and user agents as read (only for your own terminal: by
                   default they are redacted, so the output can be pasted into tickets;
                   MESH_REDACT_CLIENT_IPS=false keeps client IPs and user agents only)
  -h, --help       show this help

--context, --all-contexts, --project and --since read a live cluster: they cannot be given with --snapshot.

Exit status: 0 when the diagnosis ran (with or without findings), 2 for bad usage, unreadable input, a
target that does not exist, or a capture directory that is not empty.
Examples:
  mesh-doctor diagnose --snapshot examples/proxy-startup-econnrefused --format json
  mesh-doctor capture --output snap-$(date +%Y%m%d-%H%M) --namespace shop --since 2h
`;

/** Help text of `mesh-doctor bot`. */
export const BOT_USAGE = `Usage: mesh-doctor bot

The Slack app: answers /mesh, @mesh-doctor mentions and direct messages, approval buttons and alert
webhooks, queues diagnoses in Redis for the workers, and serves /healthz, /readyz and /metrics. It runs until
SIGTERM. It takes no options: its settings come from the environment (or a .env file in the working
directory), for example:
  SLACK_BOT_TOKEN       the bot token (xoxb-…)
  SLACK_SIGNING_SECRET  HTTP mode: the app's signing secret, or
  SLACK_APP_TOKEN       Socket Mode: an app-level token (xapp-…) with connections:write
  REDIS_URL             the Redis the bot and the workers share
  MESH_APPROVERS        Slack users or user groups who may approve fixes (approvals are off without it)
  ALERT_WEBHOOK_TOKEN, ALERT_CHANNEL   alert webhooks and the channel their threads go to
  PORT                  its HTTP port (default 3000)
  LOG_LEVEL             debug, info (default), warn or error; one JSON line per record on stdout
Every setting is listed in the README (Settings) and docs/.
`;

/** Help text of `mesh-doctor worker`. */
export const WORKER_USAGE = `Usage: mesh-doctor worker

Runs queued diagnoses (and, with approvals on, approved fixes) and posts the reports in Slack. Run as
many as needed. It serves /healthz, /readyz and /metrics and runs until SIGTERM. It takes no options:
its settings come from the environment (or a .env file in the working directory), for example:
  SLACK_BOT_TOKEN       the bot token (xoxb-…), to post reports
  REDIS_URL             the Redis the bot and the workers share
  KUBECONFIG            the cluster to read (default: in-cluster credentials, else ~/.kube/config)
  GOOGLE_CLOUD_PROJECT  read logs from Cloud Logging in this project (else pod logs through the API)
  MESH_APPROVERS        set to apply approved fixes (the same list as the bot's)
  MESH_WORKER_CONCURRENCY  diagnoses at once (default 4)
  WORKER_PORT           its HTTP port (default 3001)
  LOG_LEVEL             debug, info (default), warn or error; one JSON line per record on stdout
Every setting is listed in the README (Settings) and docs/.
`;

/** The help of one command, or the whole help. */
export function helpFor(command: string | undefined): string {
  if (command === 'bot') return BOT_USAGE;
  if (command === 'worker') return WORKER_USAGE;
  return USAGE;
}
