/**
 * The packed tarball is what users read: every relative link in every Markdown file `npm pack` ships must point at a
 * file the tarball also ships (a link into the repository that is not packed is dead for an npm user).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as fs from 'fs';
import { repoRoot } from '../support/synth';

/** The files `npm pack` would ship (no scripts run: dist/ is already built by the time tests run). */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
}

/** Relative link targets in a Markdown text (inline links and images; no URLs, no in-page anchors). */
export function relativeLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const targets = [...withoutCode.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#')).map((t) => t.split('#')[0]);
}

describe('the shipped Markdown', () => {
  const files = packedFiles();
  const shipped = new Set(files);
  const isShipped = (p: string) => shipped.has(p) || files.some((f) => f.startsWith(`${p.replace(/\/$/, '')}/`));
  const markdown = files.filter((f) => f.endsWith('.md'));

  it('ships the README, the docs and a LICENSE, and no node_modules', () => {
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'docs/configuration.md']));
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => f.includes('node_modules/'))).toEqual([]);
  });

  it.each(markdown)('%s links only to files the tarball ships', (file) => {
    const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
    const dead = relativeLinks(text)
      .map((t) => path.posix.normalize(path.posix.join(path.posix.dirname(file), t)))
      .filter((t) => !isShipped(t));
    expect(dead).toEqual([]);
  });

  it('finds links at all (the link parser is not blind)', () => {
    expect(relativeLinks('see [the docs](docs/cost.md#x) and ![d](img.png) but not [x](https://a.b) or `[y](z.md)`')).toEqual([
      'docs/cost.md',
      'img.png',
    ]);
  });
});
