/**
 * What aws-cdk-lib's template validation, which runs during every synth, spends on one stack of the bench centre:
 * `node validation-bench.js <queues> <numbers> <repeats>` prints a JSON line with the median milliseconds of
 * validating the first stack's template as the constructs synthesize it, as the raw-L1 twin does, and as the
 * constructs' template would be without the `DependsOn` on the deploy-time check and the list of numbers it
 * verifies. It runs aws-cdk-lib's own `CloudFormationValidatePlugin` on the files, as synth does; the templates are
 * synthesized once, outside the timing, and the plugin validates each once before the timing (loading its rules).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import { CentreSize, claimedNumbers, rawFlows, synthWithConstructs, synthWithL1 } from './contact-centre';
import { median } from './stats';

const STACK = 'Centre0';

function firstTemplate(directory: string): any {
  const template = JSON.parse(fs.readFileSync(path.join(directory, `${STACK}.template.json`), 'utf8'));
  fs.rmSync(directory, { recursive: true, force: true });
  return template;
}

/** The constructs' template without what gates the stack on the deploy-time check. */
function ungated(template: any): any {
  const copy = structuredClone(template);
  for (const resource of Object.values<any>(copy.Resources)) {
    delete resource.DependsOn;
    if (resource.Type === 'Custom::ConnectCallerIdCheck') resource.Properties.Numbers = [];
  }
  return copy;
}

function main(): void {
  const [queues, numbers, repeats] = process.argv.slice(2).map(Number);
  const size: CentreSize = { queues, numbers };
  const claimed = claimedNumbers(numbers);
  const templates = {
    constructs: firstTemplate(synthWithConstructs(size, claimed)),
    raw: firstTemplate(synthWithL1(size, claimed, rawFlows(size, claimed))),
  };
  const variants: Record<string, any> = { ...templates, constructsUngated: ungated(templates.constructs) };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-validation-'));
  const plugin = new CloudFormationValidatePlugin();
  const validate = (file: string) => plugin.validate({
    templatePaths: [file],
    stackTemplates: [{ stackConstructPath: STACK, templatePath: file, accountId: '123456789012', region: 'ap-northeast-1' }],
  } as Parameters<CloudFormationValidatePlugin['validate']>[0]);
  try {
    const files = Object.fromEntries(Object.entries(variants).map(([name, template]) => {
      const file = path.join(work, `${name}.template.json`);
      // Indented as synth writes it.
      fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
      validate(file);
      return [name, file];
    }));
    const ms: Record<string, number[]> = Object.fromEntries(Object.keys(files).map((name) => [name, []]));
    for (let i = 0; i < repeats; i++) {
      for (const [name, file] of Object.entries(files)) {
        const start = performance.now();
        validate(file);
        ms[name].push(performance.now() - start);
      }
    }
    process.stdout.write(`${JSON.stringify({
      validateConstructsStackMs: median(ms.constructs),
      validateRawStackMs: median(ms.raw),
      validateConstructsUngatedStackMs: median(ms.constructsUngated),
    })}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
