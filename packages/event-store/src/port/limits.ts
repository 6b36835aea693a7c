/**
 * Documented limits, checked before anything is stored. One event's data and metadata together, as UTF-8 JSON, may be
 * at most 1 MiB (KurrentDB's default max append size is larger, so this keeps both adapters interchangeable).
 */
export const maxEventBytes = 1024 * 1024;
export const maxEventsPerAppend = 10_000;
export const maxAppendBytes = 16 * 1024 * 1024;
export const streamIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
export const eventTypePattern = /^[A-Za-z][A-Za-z0-9._-]{0,99}$/;
