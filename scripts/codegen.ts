// `npm run codegen`: rewrites the Railway client's generated answer types (see codegen/railway-types.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRailwayTypes, RAILWAY_TYPES } from './codegen/railway-types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const target = join(ROOT, RAILWAY_TYPES);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, await generateRailwayTypes(ROOT));
console.log(`Wrote ${RAILWAY_TYPES}.`);
