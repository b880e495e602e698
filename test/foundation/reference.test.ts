/**
 * docs/configuration.md is generated from the schema (and checked by modules:check); here: it documents every
 * setting the schema has, and every "unknown setting" refusal points at a section that exists in it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { configurationReference } from '../../src/config/reference';
import { configSchema } from '../../src/config/schema';
import { repoRoot } from '../support/synth';

const doc = configurationReference();

describe('the configuration reference', () => {
  it('is the committed docs/configuration.md', () => {
    expect(fs.readFileSync(path.join(repoRoot, 'docs', 'configuration.md'), 'utf8')).toBe(doc);
  });

  it('has a section for every top-level setting, and each names its type, default and allowed values', () => {
    const top = Object.keys((z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as any).properties);
    expect(top.length).toBeGreaterThan(15);
    for (const key of top) expect(doc).toMatch(new RegExp(`^## ${key}\\n\\n(.+\\n\\n)?Type: .+\\. Default: .+\\. Allowed: .+\\.$`, 'm'));
  });

  it('says what each nested setting is for (no row without its line of why, but the three variant tags)', () => {
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(80);
    const undocumented = rows.filter((r) => r.endsWith('| — |')).map((r) => r.split('|')[1].trim());
    expect(undocumented).toEqual([]);
  });

  it('is where "unknown setting" sends the user: the section anchor exists', () => {
    for (const section of ['service', 'database', 'edge', 'queues']) expect(doc).toContain(`\n## ${section}\n`);
  });
});
