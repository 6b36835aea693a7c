import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { CloudEvent, Kafka, type KafkaMessage } from 'cloudevents';
import { structuredContentType } from '../envelope.js';
import type { Publisher, RelayMessage } from '../publisher.js';

export interface PublisherFixture {
  publisher: Publisher;
  /** Every message of `topic`, in the order a consumer of one partition per key sees them; waits for `count`. */
  readBack(topic: string, count: number): Promise<RelayMessage[]>;
  dispose(): Promise<void>;
}

/** What the port carries: a CloudEvent in structured mode, keyed by its subject (the stream). */
const message = (topic: string, key: string, n: number, extra = ''): RelayMessage => ({
  topic,
  key,
  value: JSON.stringify({
    specversion: '1.0',
    id: randomUUID(),
    source: '/indicator-ledger/contract',
    type: 'eu.interreg.indicator-ledger.ContractTest.v1',
    subject: key,
    time: new Date(0).toISOString(),
    datacontenttype: 'application/json',
    data: { n, extra },
  }),
  headers: { 'content-type': structuredContentType },
});

/** Reads a delivered message as a consumer using the official CloudEvents SDK's Kafka binding would; throws if invalid. */
export function asCloudEvent(m: Pick<RelayMessage, 'key' | 'value' | 'headers'>) {
  const kafkaMessage: KafkaMessage<string> = { key: m.key, value: m.value, headers: m.headers, body: m.value };
  const event = Kafka.toEvent<unknown>(kafkaMessage);
  if (Array.isArray(event)) throw new Error('a batch where one event was expected');
  const checked = new CloudEvent(event, true);
  checked.validate();
  return checked;
}

/** The publisher port's contract: the Kafka and file adapters both run exactly this. */
export function describePublisherContract(
  name: string,
  makeFixture: () => Promise<PublisherFixture>,
  options: { skipReason?: string | undefined } = {},
): void {
  describe(`publisher contract: ${name}${options.skipReason ? ` (skipped: ${options.skipReason})` : ''}`, function () {
    this.timeout(120_000);
    let fx: PublisherFixture;
    const run = randomUUID().slice(0, 8);
    before(async function () {
      if (options.skipReason) this.skip();
      fx = await makeFixture();
    });
    after(async () => fx?.dispose());

    it('delivers every message to its topic with key, value and headers intact', async () => {
      const a = `contract-${run}.A.events`;
      const b = `contract-${run}.B.events`;
      const sent = [
        message(a, 'project-1', 1),
        message(b, 'project-2', 2, 'Viesīte, Rokiškis: ąčęėįšųūž €'),
        message(a, 'project-1', 3),
      ];
      await fx.publisher.publish(sent);
      expect(await fx.readBack(a, 2)).to.deep.equal([sent[0], sent[2]]);
      expect(await fx.readBack(b, 1)).to.deep.equal([sent[1]]);
    });

    it("keeps each key's order across batches", async () => {
      const topic = `contract-${run}.order.events`;
      const keys = ['project-x', 'project-y', 'project-z'];
      const sent: RelayMessage[] = [];
      for (let batch = 0; batch < 5; batch++) {
        const messages = Array.from({ length: 12 }, (_, i) => message(topic, keys[i % 3]!, batch * 12 + i));
        sent.push(...messages);
        await fx.publisher.publish(messages);
      }
      const got = await fx.readBack(topic, sent.length);
      for (const key of keys)
        expect(got.filter((m) => m.key === key).map((m) => m.value)).to.deep.equal(
          sent.filter((m) => m.key === key).map((m) => m.value),
        );
    });

    it('delivers messages a CloudEvents Kafka consumer reads as valid events', async () => {
      const topic = `contract-${run}.ce.events`;
      const sent = [message(topic, 'project-ce', 1, 'ąčęėįšųūž'), message(topic, 'project-ce', 2)];
      await fx.publisher.publish(sent);
      const events = (await fx.readBack(topic, 2)).map(asCloudEvent);
      expect(events.map((e) => [e.subject, (e.data as { n: number }).n])).to.deep.equal([
        ['project-ce', 1],
        ['project-ce', 2],
      ]);
    });

    it('accepts an empty batch', async () => {
      await fx.publisher.publish([]);
    });
  });
}
