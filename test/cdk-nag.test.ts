import { App, Validations } from 'aws-cdk-lib';
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

  test('every acknowledgement the library makes carries a written reason', () => {
    const app = exampleApp();
    const acknowledged = app.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))));
    expect(acknowledged.map((a) => a.id).sort()).toEqual([
      'Annotation::AwsSolutions-IAM5[Resource::*]',
      expect.stringMatching(/^Annotation::AwsSolutions-IAM5\[Resource::<ConnectCallerIdCheckProviderHandler\w+\.Arn>:\*\]$/),
      'Annotation::AwsSolutions-L1',
    ]);
    for (const a of acknowledged) expect(a.reason.length).toBeGreaterThan(80);
  });
});
