/** JSON Schema of one feature-file document, generated from the zod model (input side). */
import { z } from 'zod';
import { documentSchema } from '../model/schema.js';

/** The JSON Schema (draft 2020-12) that editors can use to check feature files. */
export function featureFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(documentSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: 'https://switchyard.dev/schema/flipt-features.schema.json',
    title: 'Flipt feature file document (versions 1.0-1.6)',
  };
}
