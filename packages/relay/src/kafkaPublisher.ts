import { Kafka, logLevel, type Admin, type KafkaConfig, type Producer } from 'kafkajs';
import type { Publisher, RelayMessage } from './publisher.js';

export interface KafkaPublisherOptions {
  client: KafkaConfig;
  /** Create topics on first use (with these settings); otherwise they must exist. */
  createTopics?: { partitions: number; replicationFactor: number } | undefined;
  /** A batch not acknowledged within this time fails and is published again (default 30 s). */
  publishTimeoutMs?: number;
  /** kafkajs's own logging (JSON lines on stdout); errors only by default, the relay logs its retries itself. */
  logLevel?: logLevel;
}

/** Messages grouped by topic, order kept within each (and so within each key). */
export function groupByTopic(
  messages: RelayMessage[],
): { topic: string; messages: { key: string; value: string; headers: Record<string, string> }[] }[] {
  const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic) ?? [];
    list.push({ key: m.key, value: m.value, headers: m.headers });
    byTopic.set(m.topic, list);
  }
  return [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
}

/**
 * The publisher port on Kafka. The producer is idempotent with one request in flight, so broker-side retries never
 * reorder or duplicate within a partition; `acks: -1` waits for all in-sync replicas before the relay checkpoints.
 */
export async function createKafkaPublisher(options: KafkaPublisherOptions): Promise<Publisher> {
  const kafka = new Kafka({ ...options.client, logLevel: options.logLevel ?? logLevel.ERROR });
  const timeoutMs = options.publishTimeoutMs ?? 30_000;
  const known = new Set<string>();
  // Made again after every failure: a producer that saw its broker die (SIGKILL, then a restart on the same address)
  // could leave a send pending for ever, and the relay with it. A fresh producer and admin start from nothing.
  let clients: { producer: Producer; admin: Admin | undefined; connected: Promise<void> } | undefined;
  const connect = () => {
    if (!clients) {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      const admin = options.createTopics ? kafka.admin() : undefined;
      clients = {
        producer,
        admin,
        connected: (async () => {
          await producer.connect();
          await admin?.connect();
        })(),
      };
    }
    return clients;
  };
  const drop = async () => {
    const old = clients;
    clients = undefined;
    known.clear();
    await old?.producer.disconnect().catch(() => undefined);
    await old?.admin?.disconnect().catch(() => undefined);
  };

  async function ensureTopics(admin: Admin | undefined, topics: string[]): Promise<void> {
    const missing = topics.filter((t) => !known.has(t));
    if (!admin || missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: options.createTopics!.partitions,
        replicationFactor: options.createTopics!.replicationFactor,
      })),
    });
    for (const t of missing) known.add(t);
  }

  return {
    async publish(messages) {
      if (messages.length === 0) return;
      const topicMessages = groupByTopic(messages);
      const { producer, admin, connected } = connect();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Kafka did not acknowledge the batch within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        // A batch that is not acknowledged in time counts as failed (it may still arrive: at-least-once).
        await Promise.race([
          (async () => {
            await connected;
            await ensureTopics(
              admin,
              topicMessages.map((t) => t.topic),
            );
            await producer.sendBatch({ topicMessages, acks: -1 });
          })(),
          timeout,
        ]);
      } catch (e) {
        await drop();
        throw e;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await drop();
    },
  };
}
