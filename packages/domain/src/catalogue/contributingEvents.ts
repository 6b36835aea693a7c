import type { z } from 'zod';
import { outputSchemas } from '../events/outputSchemas.js';
import { partnerJoinedV1 } from '../events/partnerJoined.js';

/** Event types a catalogue rule may name: every output, and PartnerJoined (for organisation counts). */
export const contributingEventSchemas: Record<string, z.ZodType> = { ...outputSchemas, PartnerJoined: partnerJoinedV1 };
