import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { engineUrl } from '@il/event-store/testing';
import { describePublisherContract } from '../src/contract/index.js';
import { createKafkaPublisher, kafkaClientConfig, loadRelayConfig, type RelayMessage } from '../src/index.js';

const { url, skipReason } = engineUrl('KAFKA_BROKERS');

describePublisherContract(
  'kafka',
  async () => {
    const client = kafkaClientConfig(loadRelayConfig({ ...process.env, KAFKA_BROKERS: url! }));
    const publisher = await createKafkaPublisher({ client, createTopics: { partitions: 3, replicationFactor: -1 } });
    const kafka = new Kafka({ ...client, logLevel: logLevel.ERROR });
    const consumers: { disconnect(): Promise<void> }[] = [];
    return {
      publisher,
      async readBack(topic, count) {
        const consumer = kafka.consumer({ groupId: `contract-${randomUUID()}` });
        consumers.push(consumer);
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        const got: RelayMessage[] = [];
        await consumer.run({
          eachMessage: async ({ message }) => {
            const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
            got.push({ topic, key: String(message.key), value: String(message.value), headers });
          },
        });
        const deadline = Date.now() + 30_000;
        while (got.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        await consumer.disconnect();
        return got;
      },
      async dispose() {
        await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
        await publisher.close();
      },
    };
  },
  { skipReason },
);
