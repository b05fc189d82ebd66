/**
 * What aws-cdk-lib's template validation, which runs during synth by default, spends on one stack of the bench centre:
 * `node validation-bench.js <queues> <numbers> <repeats>` prints a JSON line with the median milliseconds of
 * validating the first stack's template as the constructs synthesize it, as the raw-L1 twin does, and as the
 * constructs' template would be without the `DependsOn` on the deploy-time check and the list of numbers it
 * verifies. It runs aws-cdk-lib's own `CloudFormationValidatePlugin` on the files, as synth does: one plugin per
 * form, so each loads the rules of its own resource types only, as a synth of that app would. The templates are
 * synthesized once, outside the timing, and each plugin validates its file once before the timing (loading its
 * rules). The first stack holds the first 100 units, so 100 queues give the stack of the full size.
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
  if (![queues, numbers, repeats].every((n) => Number.isInteger(n) && n > 0)) throw new Error('usage: validation-bench.js <queues> <numbers> <repeats>');
  const size: CentreSize = { queues, numbers };
  const claimed = claimedNumbers(numbers);
  const templates = {
    constructs: firstTemplate(synthWithConstructs(size, claimed)),
    raw: firstTemplate(synthWithL1(size, claimed, rawFlows(size, claimed))),
  };
  const variants: Record<string, any> = { ...templates, constructsUngated: ungated(templates.constructs) };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-validation-'));
  const validators = Object.entries(variants).map(([name, template]) => {
    const file = path.join(work, `${name}.template.json`);
    // Indented as synth writes it.
    fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
    const plugin = new CloudFormationValidatePlugin();
    const validate = (): void => {
      const report = plugin.validate({
        templatePaths: [file],
        stackTemplates: [{ stackConstructPath: STACK, templatePath: file, accountId: '123456789012', region: 'ap-northeast-1' }],
      } as Parameters<CloudFormationValidatePlugin['validate']>[0]);
      // A template the validation refuses would time its error path, not what synth runs.
      if (!report.success || report.violations.length > 0) throw new Error(`${name}: ${JSON.stringify(report.violations).slice(0, 500)}`);
    };
    validate();
    return { name, validate };
  });
  try {
    const ms: Record<string, number[]> = Object.fromEntries(validators.map(({ name }) => [name, []]));
    for (let i = 0; i < repeats; i++) {
      for (const { name, validate } of validators) {
        const start = performance.now();
        validate();
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

if (require.main === module) main();
