import { repoRoot } from '@il/event-store/testing';
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = repoRoot();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('PostgreSQL pools and clients', () => {
  // The product's processes: every package's and service's src/ (tests make their own short-lived clients).
  const files = ['packages', 'services'].flatMap((top) =>
    readdirSync(join(root, top)).flatMap((name) => {
      const src = join(root, top, name, 'src');
      return statSync(src, { throwIfNoEntry: false })?.isDirectory() ? sources(src) : [];
    }),
  );

  it('finds the sources it checks', () => {
    expect(files.some((f) => f.endsWith('createPool.ts'))).to.equal(true);
  });

  it('are made by createPool (which listens for errors), never with new pg.Pool elsewhere', () => {
    const offenders = files.filter(
      (f) => !f.endsWith('createPool.ts') && /new\s+(pg\.)?Pool\s*\(/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders.map((f) => relative(root, f))).to.deep.equal([]);
  });

  it('listen for errors wherever a client is made: a lost connection must not end the process', () => {
    const offenders = files.filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /new\s+(pg\.)?Client\s*\(/.test(text) && !/\.on\('error'/.test(text);
    });
    expect(offenders.map((f) => relative(root, f))).to.deep.equal([]);
  });
});
