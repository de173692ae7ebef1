import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../diagnosis/kube-types';
import { evidenceKind } from '../../diagnosis/kube-types';
import type { EvidenceRecorder } from '../evidence-builder';

interface KindList {
  apiVersion: string | undefined;
  kind: string;
  items: KubeObject[];
}

/** What a capture wrote. */
export interface RecordedCounts {
  objects: number;
  kinds: number;
  events: number;
  logEntries: number;
  containerLogs: number;
  files: number;
}

/** `Pod` → `pod.json`, Gateway API's Gateway → `gateway.gateway.networking.k8s.io.json`. */
function listFileName(kind: string, apiVersion: string | undefined): string {
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return `${kind.toLowerCase()}${group ? `.${group}` : ''}.json`;
}

/** `NAMESPACE_POD_CONTAINER.log`, the name the snapshot loader reads the source from. */
function logFileName(source: { namespace: string | null; pod: string | null; container: string | null }): string {
  const { namespace, pod, container } = source;
  return namespace && pod && container ? `${namespace}_${pod}_${container}.log` : 'unattributed.log';
}

/**
 * Keeps what an EvidenceBuilder is given and writes it as a snapshot directory (docs/snapshot-format.md):
 * one `kubectl get -o json`-shaped typed List per kind (also for a kind listed empty, so "looked, found
 * none" survives), Cloud Logging entries as one `.jsonl`, and container logs as
 * `NAMESPACE_POD_CONTAINER.log` files (the blocks of one container, such as its current and previous
 * instance, one after the other). Objects arrive already reduced, so no Secret value is ever held here.
 */
export class SnapshotRecorder implements EvidenceRecorder {
  private readonly lists = new Map<string, KindList>();
  private readonly entries: string[] = [];
  private readonly logs = new Map<string, string[]>();

  captured(kind: string, apiVersion: string | undefined): void {
    this.listOf(kind, apiVersion);
  }

  object(object: KubeObject): void {
    this.listOf(object.kind ?? 'Unknown', object.apiVersion).items.push(object);
  }

  logEntry(entry: Record<string, unknown>): void {
    this.entries.push(JSON.stringify(entry));
  }

  textBlock(block: string, source: { namespace: string | null; pod: string | null; container: string | null }): void {
    if (block.length === 0) return;
    const name = logFileName(source);
    const blocks = this.logs.get(name) ?? [];
    blocks.push(block.endsWith('\n') ? block : `${block}\n`);
    this.logs.set(name, blocks);
  }

  /** Writes the files into `dir` (which must exist); returns what was written. */
  async write(dir: string): Promise<RecordedCounts> {
    const counts: RecordedCounts = { objects: 0, kinds: 0, events: 0, logEntries: 0, containerLogs: 0, files: 0 };
    for (const list of this.lists.values()) {
      const document = {
        apiVersion: list.apiVersion ?? 'v1',
        kind: `${list.kind}List`,
        metadata: {},
        items: list.items,
      };
      await writeFile(join(dir, listFileName(list.kind, list.apiVersion)), `${JSON.stringify(document, null, 1)}\n`);
      if (list.kind === 'Event') counts.events += list.items.length;
      else {
        counts.objects += list.items.length;
        counts.kinds++;
      }
      counts.files++;
    }
    if (this.entries.length > 0) {
      await writeFile(join(dir, 'cloud-logging.jsonl'), `${this.entries.join('\n')}\n`);
      counts.logEntries = this.entries.length;
      counts.files++;
    }
    for (const [name, blocks] of this.logs) {
      await writeFile(join(dir, name), blocks.join(''));
      counts.containerLogs++;
      counts.files++;
    }
    return counts;
  }

  private listOf(kind: string, apiVersion: string | undefined): KindList {
    const key = evidenceKind(apiVersion, kind);
    let list = this.lists.get(key);
    if (!list) {
      list = { apiVersion, kind, items: [] };
      this.lists.set(key, list);
    }
    list.apiVersion ??= apiVersion;
    return list;
  }
}
