interface Gauge {
  help: string;
  read: () => Promise<Record<string, number>>;
  /** The last values read, and when. */
  last: { values: Record<string, number>; at: number } | null;
  reading: Promise<void> | null;
}

/**
 * A minimal Prometheus registry: counters with labels, and gauges read at scrape time. A scrape waits at
 * most `readDeadlineMs` for the gauges (Redis may be down); a gauge not read in time is shown with its
 * last values, and `mesh_doctor_gauge_age_seconds` says how old every gauge's values are.
 */
export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges = new Map<string, Gauge>();

  constructor(
    private readonly readDeadlineMs = 500,
    private readonly now: () => number = Date.now,
  ) {}

  counter(name: string, help: string): (labels?: Record<string, string>) => void {
    const entry = { help, values: new Map<string, number>() };
    this.counters.set(name, entry);
    return (labels = {}) => {
      const key = labelText(labels);
      entry.values.set(key, (entry.values.get(key) ?? 0) + 1);
    };
  }

  /** A gauge family; `read` returns values by label text (e.g. `state="waiting"`). */
  gauge(name: string, help: string, read: () => Promise<Record<string, number>>): void {
    this.gauges.set(name, { help, read, last: null, reading: null });
  }

  /** Starts a read unless one is under way (a read that hangs is never started twice). */
  private refresh(g: Gauge): Promise<void> {
    g.reading ??= g
      .read()
      .then((values) => void (g.last = { values, at: this.now() }))
      .catch(() => undefined) // a gauge that cannot be read keeps its last values
      .finally(() => (g.reading = null));
    return g.reading;
  }

  async render(): Promise<string> {
    const gauges = [...this.gauges];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(gauges.map(([, g]) => this.refresh(g))),
      new Promise((r) => (timer = setTimeout(r, this.readDeadlineMs))),
    ]);
    clearTimeout(timer);
    const lines: string[] = [];
    const line = (name: string, labels: string, value: number) =>
      lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
    for (const [name, { help, values }] of this.counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of values) line(name, labels, value);
    }
    for (const [name, { help, last }] of gauges) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      for (const [labels, value] of Object.entries(last?.values ?? {})) line(name, labels, value);
    }
    const age = 'mesh_doctor_gauge_age_seconds';
    lines.push(`# HELP ${age} Seconds since each gauge was last read (gauges not read in time show older values)`);
    lines.push(`# TYPE ${age} gauge`);
    for (const [name, { last }] of gauges)
      if (last) line(age, labelText({ gauge: name }), Math.round((this.now() - last.at) / 100) / 10);
    return `${lines.join('\n')}\n`;
  }
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}
