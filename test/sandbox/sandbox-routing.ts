import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

/** The sandbox's own routing file, as `npm start` reads it without ROUTING_FILE. */
export const sandboxRouting = () => parse(readFileSync(resolve(import.meta.dirname, '../../config/routing.sandbox.yml'), 'utf8')) as unknown;
