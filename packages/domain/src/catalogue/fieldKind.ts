import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { def: Def }).def;
}

/** What a dotted path points at inside an object schema: 'number', 'string', another kind, or undefined. */
export function fieldKind(schema: z.ZodType, path: string): string | undefined {
  let current: z.ZodType | undefined = schema;
  for (const key of path.split('.')) {
    current = unwrap(current);
    const def: Def | undefined = current ? defOf(current) : undefined;
    if (!def || def.type !== 'object' || !def.shape || !Object.hasOwn(def.shape, key)) return undefined;
    current = def.shape[key];
  }
  current = unwrap(current);
  return current ? defOf(current).type : undefined;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s) {
    const def = defOf(s);
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType)
      s = def.innerType;
    else break;
  }
  return s;
}
