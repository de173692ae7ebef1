/** A minimal Prometheus registry: counters with labels, and gauges read at scrape time. */
export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges = new Map<string, { help: string; read: () => Promise<Record<string, number>> }>();

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
    this.gauges.set(name, { help, read });
  }

  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, { help, values }] of this.counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of values) lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
    }
    for (const [name, { help, read }] of this.gauges) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      try {
        for (const [labels, value] of Object.entries(await read()))
          lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
      } catch {
        // a gauge that cannot be read is left out of this scrape
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}
