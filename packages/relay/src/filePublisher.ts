import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { structuredContentType } from './envelope.js';
import type { Publisher, RelayMessage } from './publisher.js';

/**
 * The publisher port on plain files: one file per topic under `dir`, one CloudEvent (the message's value, JSON) per
 * line, appended in order. For set-ups without Kafka (a data hand-over by file, local debugging); the same contract
 * suite as Kafka checks it. The key is the event's `subject` and the only header its content type, so `read` gives
 * the messages back whole.
 */
export function createFilePublisher(dir: string): Publisher & { read(topic: string): Promise<RelayMessage[]> } {
  let ready: Promise<unknown> | undefined;
  return {
    async publish(messages) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const byTopic = new Map<string, string[]>();
      for (const m of messages) {
        // The value is one line of JSON already; parsing it checks that, and that the key is its subject.
        const subject = (JSON.parse(m.value) as { subject?: unknown }).subject;
        if (subject !== m.key)
          throw new Error(`a file message's key must be its CloudEvent subject (${String(subject)} ≠ ${m.key})`);
        byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), `${m.value}\n`]);
      }
      for (const [topic, lines] of byTopic) await appendFile(join(dir, `${topic}.jsonl`), lines.join(''));
    },
    async read(topic) {
      const text = await readFile(join(dir, `${topic}.jsonl`), 'utf8').catch((e: NodeJS.ErrnoException) =>
        e.code === 'ENOENT' ? '' : Promise.reject(e),
      );
      return text
        .split('\n')
        .filter(Boolean)
        .map((value) => ({
          topic,
          key: (JSON.parse(value) as { subject: string }).subject,
          value,
          headers: { 'content-type': structuredContentType },
        }));
    },
    async close() {},
  };
}
