/**
 * One topic per programme: `<prefix>.<programme id>.events`, e.g. `indicator-ledger.LV-LT.events`. Characters
 * Kafka does not allow in topic names become `_`. Events of streams that belong to no programme go to
 * `<prefix>.unassigned.events`.
 */
export function topicFor(prefix: string, programmeId: string | undefined): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  const topic = `${safe(prefix)}.${programmeId === undefined ? 'unassigned' : safe(programmeId)}.events`;
  if (topic.length > 249) throw new RangeError(`topic name too long for Kafka: ${topic}`);
  return topic;
}
