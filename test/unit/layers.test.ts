// The layers hold (STYLE.md, issue 20): infrastructure and pure rule modules never import from
// src/modules, so a resource can change without touching them; modules depend downward only.
// Read from the files as text: what matters is what the source says it imports.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const MODULES = join(SRC, 'modules') + sep;
/** Infrastructure (plugins, lib, db, events, storage) and the pure rules (workflow, policy). */
const BELOW_MODULES = ['plugins', 'lib', 'db', 'events', 'storage', 'workflow', 'policy'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Every module specifier in `source`: static imports and re-exports (`import … from`, `export …
 * from`, `import 'x'`, type-only ones included) and dynamic `import('x')`. A dynamic import of
 * anything but a string literal comes back as `null`: it cannot be checked, so it is refused.
 * Comments are not skipped: a commented-out import is reported too, which errs on the safe side.
 */
function specifiers(source: string): Array<string | null> {
  const found: Array<string | null> = [];
  for (const m of source.matchAll(/\b(?:from|import)\s*['"]([^'"\n]+)['"]/g)) found.push(m[1]);
  for (const m of source.matchAll(/\bimport\s*\(\s*([^)]*?)\s*[,)]/g)) {
    const literal = /^(['"`])([^'"`$]+)\1$/.exec(m[1]);
    found.push(literal ? literal[2] : null);
  }
  return found;
}

/** The file a relative specifier names (`./x.js` is `./x.ts` under NodeNext); undefined for packages. */
function resolveSpecifier(from: string, spec: string): string | undefined {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return undefined;
  return resolve(dirname(from), spec).replace(/\.js$/, '.ts');
}

/**
 * Dynamic imports of a computed name, which no reader can follow: each was looked at. A new one
 * fails the test until it is looked at too.
 */
const COMPUTED_IMPORTS: Record<string, number> = {
  // The worker thread's boot code imports its entry (pglite-worker.ts, beside it) and tsx by URL.
  'db/pglite-connection.ts': 3,
};

const imports = (file: string) =>
  specifiers(readFileSync(file, 'utf8')).map((spec) => ({ spec, target: spec === null ? undefined : resolveSpecifier(file, spec) }));

t.test('the import reader sees every form of import', async (t) => {
  const source = [
    "import { a } from '../modules/a.js';",
    "import type {\n  B,\n} from \"../modules/b.js\";",
    "export { c } from '../modules/c.js';",
    "export * from './d.js';",
    "import '../modules/e.js';",
    "const f = await import('../modules/f.js');",
    "const g = await import(`../modules/g.js`);",
    'const h = await import(name);',
    "import fastify from 'fastify';",
  ].join('\n');
  t.same(specifiers(source).sort(), ['../modules/a.js', '../modules/b.js', '../modules/c.js', './d.js', '../modules/e.js', '../modules/f.js', '../modules/g.js', 'fastify', null].sort());
  t.equal(resolveSpecifier(join(SRC, 'plugins/x.ts'), '../modules/a/b.js'), join(SRC, 'modules/a/b.ts'));
  t.equal(resolveSpecifier(join(SRC, 'plugins/x.ts'), 'fastify'), undefined);
});

t.test('no file under plugins, lib, db, events, storage, workflow or policy imports from src/modules', async (t) => {
  const files = BELOW_MODULES.flatMap((dir) => tsFiles(join(SRC, dir)));
  t.ok(files.length > 50, `read ${files.length} files`);
  const wrong: string[] = [];
  const computed: Record<string, number> = {};
  for (const file of files) {
    const name = relative(SRC, file).split(sep).join('/');
    for (const { spec, target } of imports(file)) {
      if (spec === null) computed[name] = (computed[name] ?? 0) + 1;
      else if (target?.startsWith(MODULES)) wrong.push(`${name} imports ${spec}`);
    }
  }
  t.same(wrong, [], 'imports into src/modules from below it');
  t.same(computed, COMPUTED_IMPORTS, 'dynamic imports of a computed name are the known ones');
});

/** The groups of files that import each other, directly or through others (Tarjan's components). */
function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      group.push(relative(SRC, w).split(sep).join('/'));
      if (w === v) break;
    }
    if (group.length > 1) cycles.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

t.test('no two source files import each other, directly or in a ring', async (t) => {
  const graph = new Map(tsFiles(SRC).map((file) => [file, imports(file).flatMap(({ target }) => (target ? [target] : []))]));
  const articles = join(SRC, 'modules/articles/articles.queries.ts');
  const live = join(SRC, 'modules/articles/live.queries.ts');
  t.ok(graph.get(articles)?.includes(live), 'articles.queries.ts builds on live.queries.ts');
  t.notOk(graph.get(live)?.includes(articles), 'live.queries.ts does not import articles.queries.ts');
  t.same(importCycles(graph), [], 'import cycles in src');
  t.same(importCycles(new Map([['/a', ['/b']], ['/b', ['/c']], ['/c', ['/a']], ['/d', ['/a']]])).length, 1, 'a ring of three is found');
});
