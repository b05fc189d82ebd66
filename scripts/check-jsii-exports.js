// Fails when a declaration exported from the jsii entry point (package.json "types", mapped back to its .ts)
// is missing from the jsii assembly (.jsii): jsii silently ignores exported functions, constants, type aliases
// and anything else it cannot represent, so other languages would not see them.
// Usage: node scripts/check-jsii-exports.js [--list]   (--list: print every export with its kind, no assembly needed)
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const entry = path.join(root, 'lib', 'index.ts');
const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, noEmit: true, resolveJsonModule: true, esModuleInterop: true });
const checker = program.getTypeChecker();
const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));

function kindOf(sym) {
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  const f = target.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Interface) return (f & ts.SymbolFlags.Value) ? 'interface+value' : 'interface';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Variable) return 'constant';
  if (f & ts.SymbolFlags.TypeAlias) return 'type alias';
  return `other(${f})`;
}
function where(sym) {
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  const d = (target.declarations || [])[0];
  if (!d) return '?';
  const sf = d.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(d.getStart());
  return `${path.relative(root, sf.fileName)}:${line + 1}`;
}

const exportsOf = checker.getExportsOfModule(moduleSymbol).map((s) => ({ name: s.getName(), kind: kindOf(s), where: where(s) }))
  .sort((a, b) => a.where.localeCompare(b.where, 'en', { numeric: true }));

if (process.argv.includes('--list')) {
  for (const e of exportsOf) console.log(`${e.kind}\t${e.name}\t${e.where}`);
  process.exit(0);
}
const assemblyFile = path.join(root, '.jsii');
if (!fs.existsSync(assemblyFile)) { console.error('no .jsii: run jsii first'); process.exit(2); }
const assembly = JSON.parse(fs.readFileSync(assemblyFile, 'utf8'));
const inAssembly = new Set(Object.values(assembly.types || {}).filter((t) => !t.namespace).map((t) => t.name));
const dropped = exportsOf.filter((e) => !inAssembly.has(e.name));
for (const e of dropped) console.error(`dropped by jsii: ${e.kind} ${e.name} (${e.where})`);
const extra = [...inAssembly].filter((n) => !exportsOf.some((e) => e.name === n));
for (const n of extra) console.error(`in the assembly but not an export of lib/index.ts: ${n}`);
console.log(`${exportsOf.length} exports, ${inAssembly.size} assembly types, ${dropped.length} dropped`);
process.exit(dropped.length || extra.length ? 1 : 0);
