import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Buckets in seconds, from a fast API call to a slow diagnosis: 5 ms … 2 min. */
export const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** One value of a gauge read at scrape time: its labels and value. */
export interface GaugeValue {
  labels: Record<string, string>;
  value: number;
}

interface CachedGauge {
  name: string;
  gauge: Gauge;
  read: () => Promise<GaugeValue[]>;
  /** The last values read, and when. */
  last: { values: GaugeValue[]; at: number } | null;
  reading: Promise<void> | null;
}

/**
 * The default process and Node.js metrics, collected once per process whatever the number of registries
 * (each collection registers observers of its own that are never removed).
 */
let processRegistry: Registry | null = null;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * A process's Prometheus registry (prom-client): the default process and Node.js metrics (CPU, memory,
 * event-loop lag, GC, handles), our counters and histograms, and gauges read at scrape time. A scrape
 * waits at most `readDeadlineMs` for those gauges (they read Redis, which may be down); a gauge not read in
 * time is shown with its last values, and `mesh_doctor_gauge_age_seconds` says how old every gauge's
 * values are. So `/metrics` answers within a second whatever Redis does.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly cached: CachedGauge[] = [];

  constructor(
    private readonly readDeadlineMs = 500,
    private readonly now: () => number = Date.now,
  ) {
    processMetrics();
    const cached = this.cached;
    const clock = this.now;
    new Gauge({
      name: 'mesh_doctor_gauge_age_seconds',
      help: 'Seconds since each gauge read at scrape time was last read (gauges not read in time show older values)',
      labelNames: ['gauge'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { name, last } of cached)
          if (last) this.set({ gauge: name }, Math.round((clock() - last.at) / 100) / 10);
      },
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: number[] = SECONDS_BUCKETS,
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A gauge set in process (no I/O at scrape time). */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /** A gauge family read at scrape time, within the scrape's deadline, else shown with its last values. */
  readGauge(name: string, help: string, labelNames: readonly string[], read: () => Promise<GaugeValue[]>): void {
    const gauge = new Gauge({ name, help, labelNames, registers: [this.registry] });
    const entry: CachedGauge = { name, gauge, read, last: null, reading: null };
    // The values are those last read; a gauge never read shows no series (not a zero it never saw).
    const get = gauge.get.bind(gauge);
    gauge.get = async () => {
      gauge.reset();
      for (const { labels, value } of entry.last?.values ?? []) gauge.set(labels, value);
      const shown = await get();
      return entry.last ? shown : { ...shown, values: [] };
    };
    this.cached.push(entry);
  }

  /** Starts a read unless one is under way (a read that hangs is never started twice). */
  private refresh(g: CachedGauge): Promise<void> {
    g.reading ??= g
      .read()
      .then((values) => void (g.last = { values, at: this.now() }))
      .catch(() => undefined) // a gauge that cannot be read keeps its last values
      .finally(() => (g.reading = null));
    return g.reading;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric, the gauges read at scrape time given the deadline. */
  async render(): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.cached.map((g) => this.refresh(g))),
      new Promise((r) => (timer = setTimeout(r, this.readDeadlineMs))),
    ]);
    clearTimeout(timer);
    const [process, own] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return `${process}\n${own}`;
  }
}

/** Seconds since `startMs` (a `performance.now()` reading), for a histogram. */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}
