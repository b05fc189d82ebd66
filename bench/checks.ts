import { App, Aspects, Stack } from 'aws-cdk-lib';
import { CallerIdChecks, ClaimedNumber, ClaimedNumbers } from '../lib';
import { INSTANCE_ARN } from './contact-centre';

/** The one-line adoption for an existing raw-L1 app: the inventory, and CallerIdChecks on the app. */
export function addCallerIdChecks(app: App, numbers: ClaimedNumber[], deployTimeCheck = true): void {
  const stack = app.node.children.find((c): c is Stack => Stack.isStack(c))!;
  const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers, deployTimeCheck });
  Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [claimed] }));
}
