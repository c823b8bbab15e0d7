/** Writes the committed JSON Schema of the feature-file format (`npm run schema -w @switchyard/flags`). */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { featureFileJsonSchema } from '../src/format/json-schema.js';

const target = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'schema',
  'flipt-features.schema.json',
);
writeFileSync(target, `${JSON.stringify(featureFileJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
