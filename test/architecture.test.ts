import * as fs from 'fs';
import * as path from 'path';

// The import rules of ARCHITECTURE.md, checked on the sources: each layer may import only what is listed.
const LIB = path.join(__dirname, '..', 'lib');

const RULES: Record<string, { layers: string[]; packages: RegExp }> = {
  core: { layers: ['core'], packages: /^libphonenumber-js(\/|$)/ },
  // STS only for `lookup --role-arn` (lib/lookup/assume-role.ts, which the handler does not import).
  lookup: { layers: ['core', 'lookup'], packages: /^@aws-sdk\/client-(connect|sts)$/ },
  handler: { layers: ['core', 'lookup', 'handler'], packages: /^@aws-sdk\/client-connect$/ },
  cli: { layers: ['core', 'lookup', 'cli'], packages: /^@aws-sdk\/client-connect$/ },
  // The CDK CLI plugin answers the context query of the constructs, which it must not load: it runs in the CLI.
  plugin: { layers: ['core', 'lookup', 'plugin'], packages: /^@aws-sdk\/client-connect$/ },
  constructs: { layers: ['core', 'constructs'], packages: /^(aws-cdk-lib(\/|$)|constructs$)/ },
};
const NODE_BUILTINS = /^(fs|path|os|crypto|util|http|https|url|timers\/promises|perf_hooks|child_process|events|worker_threads)$/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  // Static imports, re-exports, require() and import(): a lazily loaded module is still a dependency.
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'|(?:require|import)\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
}

describe('layering', () => {
  for (const [layer, rule] of Object.entries(RULES)) {
    test(`${layer} imports only ${rule.layers.join(', ')} and its own packages`, () => {
      const violations: string[] = [];
      for (const file of sources(path.join(LIB, layer))) {
        for (const spec of importsOf(file)) {
          if (spec.startsWith('.')) {
            const target = path.relative(LIB, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
            if (!rule.layers.includes(target)) violations.push(`${path.relative(LIB, file)} imports ${spec}`);
          } else if (!NODE_BUILTINS.test(spec) && !rule.packages.test(spec)) {
            violations.push(`${path.relative(LIB, file)} imports package ${spec}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }

  test('every folder of lib is a layer with rules', () => {
    const folders = fs.readdirSync(LIB, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !(f in RULES))).toEqual([]);
  });

  test('lib/index.ts only re-exports', () => {
    const text = fs.readFileSync(path.join(LIB, 'index.ts'), 'utf8').replace(/\/\/.*$/gm, '');
    const statements = text.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
    expect(statements.filter((s) => !/^export (type )?(\*|\{[^}]+\}) from '\.\/[\w/-]+'$/.test(s))).toEqual([]);
  });
});
