import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExampleContactCentreStack } from '../bin/example-app';

const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.context.json'), 'utf8'));

function exampleApp(): App {
  const app = new App({ context, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'nag-')) });
  new ExampleContactCentreStack(app, 'ExampleContactCentre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  return app;
}

describe('cdk-nag AwsSolutions pack', () => {
  test('the example contact centre passes', () => {
    const app = exampleApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  test('the pack runs over that app: one resource that breaks a rule fails it, naming the rule', () => {
    const app = exampleApp();
    new Queue(app.node.findChild('ExampleContactCentre') as Stack, 'PlainQueue');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  test('every acknowledgement the library makes carries a written reason', () => {
    const app = exampleApp();
    const acknowledged = app.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))));
    // The example's own reviewed warnings are recorded by the same mechanism, so they are in the same audit trail.
    const library = acknowledged.filter((a) => a.path.includes('/ConnectCallerIdCheckProvider/'));
    expect(library.map((a) => a.id).sort()).toEqual([
      'Annotation::AwsSolutions-IAM5[Resource::*]',
      'Annotation::AwsSolutions-L1',
    ]);
    expect(acknowledged.filter((a) => !library.includes(a)).map((a) => `${a.path} ${a.id}`).sort()).toEqual([
      'ExampleContactCentre/OutboundWhisper Annotation::CALLER_ID_DYNAMIC',
      'ExampleContactCentre/SalesQueue Annotation::CALLER_ID_NAME_NOT_SHOWN',
      'ExampleContactCentre/TransferToPartner Annotation::CALLER_ID_DYNAMIC',
    ]);
    for (const a of acknowledged) expect(a.reason.length).toBeGreaterThan(80);
  });
});
