import { Fn, Token } from 'aws-cdk-lib';
import { instanceIdOf } from '../core/connect-arn';

// The token-aware side of `core/connect-arn.ts`: what a template makes of a Connect ARN that is known only at
// deploy time. Every construct that cuts an id out of an ARN does it here, so the literal and the token forms
// cannot drift apart.

/**
 * The instance id of an instance ARN (`...:instance/<id>`): cut by CloudFormation when the ARN is a token. The
 * literal form must have been checked to be an instance ARN (`instanceArnProblem`).
 */
export function instanceIdOfArn(instanceArn: string): string {
  if (Token.isUnresolved(instanceArn)) return Fn.select(1, Fn.split('/', instanceArn));
  const id = instanceIdOf(instanceArn);
  if (id === undefined) throw new Error(`instanceIdOfArn: ${instanceArn} is not an instance ARN`);
  return id;
}

/**
 * The id at the end of an ARN inside an instance (`.../instance/<id>/queue/<id>`, `.../contact-flow/<id>`): what
 * Connect's campaign API calls a queue or flow id.
 */
export function resourceIdOfArn(arn: string): string {
  if (Token.isUnresolved(arn)) return Fn.select(3, Fn.split('/', arn));
  return arn.slice(arn.lastIndexOf('/') + 1);
}
