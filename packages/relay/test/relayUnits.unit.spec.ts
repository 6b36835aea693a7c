import { expect } from 'chai';
import { backoffDelay, groupByTopic, kafkaClientConfig, loadRelayConfig, topicFor } from '../src/index.js';

describe('relay pieces that need no broker', () => {
  it('names one topic per programme and keeps names Kafka-legal', () => {
    expect(topicFor('indicator-ledger', 'LV-LT')).to.equal('indicator-ledger.LV-LT.events');
    expect(topicFor('il', 'Interreg VI/A: LV LT')).to.equal('il.Interreg_VI_A__LV_LT.events');
    expect(topicFor('il', undefined)).to.equal('il.unassigned.events');
    expect(() => topicFor('x'.repeat(240), 'LV-LT')).to.throw(/too long/);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(0, { random: () => 1 })).to.equal(100);
    expect(backoffDelay(3, { random: () => 1 })).to.equal(800);
    expect(backoffDelay(50, { random: () => 1 })).to.equal(30_000);
    expect(backoffDelay(50, { random: () => 0 })).to.equal(0);
    for (let i = 0; i < 100; i++) expect(backoffDelay(i % 20, { initialMs: 10, maxMs: 1000 })).to.be.within(0, 1000);
  });

  it('groups a batch by topic and keeps the order within each', () => {
    const m = (topic: string, key: string, value: string) => ({ topic, key, value, headers: {} });
    expect(groupByTopic([m('a', 'k1', '1'), m('b', 'k2', '2'), m('a', 'k1', '3')])).to.deep.equal([
      {
        topic: 'a',
        messages: [
          { key: 'k1', value: '1', headers: {} },
          { key: 'k1', value: '3', headers: {} },
        ],
      },
      { topic: 'b', messages: [{ key: 'k2', value: '2', headers: {} }] },
    ]);
  });

  it('reads Kafka settings: brokers, TLS with a CA file, SASL', () => {
    const c = loadRelayConfig({
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/etc/ca.pem',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'relay',
      KAFKA_SASL_PASSWORD: 's3cret',
    });
    expect(c).to.include({ RELAY_SINK: 'kafka', KAFKA_CREATE_TOPICS: false, KAFKA_TOPIC_PREFIX: 'indicator-ledger' });
    const k = kafkaClientConfig(c, (p) => `PEM from ${p}`);
    expect(k).to.deep.include({
      brokers: ['k1:9092', 'k2:9093'],
      ssl: { ca: ['PEM from /etc/ca.pem'] },
      sasl: { mechanism: 'scram-sha-512', username: 'relay', password: 's3cret' },
    });
    expect(kafkaClientConfig(loadRelayConfig({ KAFKA_BROKERS: '127.0.0.1:9092' }))).to.deep.include({ ssl: false });
  });

  it('refuses incomplete or malformed relay settings with every problem listed', () => {
    expect(() => loadRelayConfig({})).to.throw(/KAFKA_BROKERS: is required when RELAY_SINK=kafka/);
    expect(() => loadRelayConfig({ KAFKA_BROKERS: 'localhost', KAFKA_SASL_MECHANISM: 'plain' })).to.throw(
      /KAFKA_BROKERS[\s\S]*host:port[\s\S]*KAFKA_SASL_USERNAME/,
    );
    expect(loadRelayConfig({ RELAY_SINK: 'file' })).to.include({ RELAY_SINK: 'file', RELAY_FILE_DIR: './.data/relay' });
  });
});

describe('Kafka publisher with the brokers down', function () {
  this.timeout(30_000);
  it('starts, then fails each publish (for the relay to retry) instead of exiting', async () => {
    const { createKafkaPublisher } = await import('../src/index.js');
    const publisher = await createKafkaPublisher({
      client: {
        ...kafkaClientConfig(loadRelayConfig({ KAFKA_BROKERS: '127.0.0.1:1' })),
        retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
        connectionTimeout: 200,
      },
      logLevel: 0,
    });
    const message = { topic: 'il.LV-LT.events', key: 'project-LLI-317', value: '{}', headers: {} };
    for (let i = 0; i < 2; i++)
      expect(
        await publisher.publish([message]).then(
          () => undefined,
          (e: unknown) => e,
        ),
      ).to.be.instanceOf(Error);
    await publisher.close();
  });
});
