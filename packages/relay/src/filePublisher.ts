import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Publisher, RelayMessage } from './publisher.js';

/**
 * The publisher port on plain files: one JSON-lines file per topic under `dir`, appended in order. For set-ups
 * without Kafka (a data hand-over by file, local debugging); the same contract suite as Kafka checks it.
 */
export function createFilePublisher(dir: string): Publisher & { read(topic: string): Promise<RelayMessage[]> } {
  let ready: Promise<unknown> | undefined;
  return {
    async publish(messages) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const byTopic = new Map<string, string[]>();
      for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), `${JSON.stringify({ key: m.key, headers: m.headers, value: m.value })}\n`]);
      for (const [topic, lines] of byTopic) await appendFile(join(dir, `${topic}.jsonl`), lines.join(''));
    },
    async read(topic) {
      const text = await readFile(join(dir, `${topic}.jsonl`), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
      return text.split('\n').filter(Boolean).map((l) => ({ topic, ...(JSON.parse(l) as Omit<RelayMessage, 'topic'>) }));
    },
    async close() {},
  };
}
