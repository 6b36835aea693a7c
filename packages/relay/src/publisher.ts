/** One message for the integration stream. */
export interface RelayMessage {
  topic: string;
  /** The stream id: messages of one stream go to one partition, so a stream's order holds. */
  key: string;
  /** The CloudEvents JSON envelope. */
  value: string;
  headers: Record<string, string>;
}

/**
 * The publisher port. `publish` resolves only when every message is durably accepted (Kafka: acknowledged by all
 * in-sync replicas), in order per key; it rejects otherwise and the relay publishes the batch again.
 * Adapters: Kafka (kafkajs) and JSON-lines files. One contract suite runs against both.
 */
export interface Publisher {
  publish(messages: RelayMessage[]): Promise<void>;
  close(): Promise<void>;
}
