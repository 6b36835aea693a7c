import { Kafka, logLevel, type KafkaConfig, type Producer } from 'kafkajs';
import type { Publisher, RelayMessage } from './publisher.js';

export interface KafkaPublisherOptions {
  client: KafkaConfig;
  /** Create topics on first use (with these settings); otherwise they must exist. */
  createTopics?: { partitions: number; replicationFactor: number } | undefined;
  /** kafkajs's own logging (JSON lines on stdout); errors only by default, the relay logs its retries itself. */
  logLevel?: logLevel;
}

/** Messages grouped by topic, order kept within each (and so within each key). */
export function groupByTopic(messages: RelayMessage[]): { topic: string; messages: { key: string; value: string; headers: Record<string, string> }[] }[] {
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
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const admin = options.createTopics ? kafka.admin() : undefined;
  const known = new Set<string>();
  // Connected on first use and again after a failure: a relay started while the brokers are down keeps retrying
  // (the relay loop's back-off) instead of exiting.
  let connected: Promise<void> | undefined;
  const connect = () => (connected ??= (async () => {
    await producer.connect();
    await admin?.connect();
  })());

  async function ensureTopics(topics: string[]): Promise<void> {
    const missing = topics.filter((t) => !known.has(t));
    if (!admin || missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: options.createTopics!.partitions, replicationFactor: options.createTopics!.replicationFactor })),
    });
    for (const t of missing) known.add(t);
  }

  return {
    async publish(messages) {
      if (messages.length === 0) return;
      const topicMessages = groupByTopic(messages);
      try {
        await connect();
        await ensureTopics(topicMessages.map((t) => t.topic));
        await producer.sendBatch({ topicMessages, acks: -1 });
      } catch (e) {
        connected = undefined;
        await producer.disconnect().catch(() => undefined);
        await admin?.disconnect().catch(() => undefined);
        throw e;
      }
    },
    async close() {
      await producer.disconnect();
      await admin?.disconnect();
    },
  };
}
