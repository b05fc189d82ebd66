import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { renderRuleTable } from '../lib/core/catalogue';

// Every TypeScript snippet in the README must compile against the library as published.
const ROOT = path.join(__dirname, '..');

test('README TypeScript snippets compile', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(snippets.length).toBeGreaterThan(0);

  // Inside node_modules so the snippets resolve aws-cdk-lib the way a user's project does.
  const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.readme-snippets-'));
  const files = snippets.map((code, i) => {
    const file = path.join(dir, `snippet-${i}.ts`);
    fs.writeFileSync(file, `${code.replace(/from 'cdk-connect-caller-id'/g, `from ${JSON.stringify(path.join(ROOT, 'lib'))}`)}\nexport {};\n`);
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    esModuleInterop: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules', '@types')],
  });
  const problems = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.includes(d.file.fileName))
    .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  fs.rmSync(dir, { recursive: true, force: true });
  expect(problems).toEqual([]);
});

test('the README rule table is the rule catalogue', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const table = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme)?.[1];
  expect(table?.trim()).toBe(renderRuleTable().trim());
});
