import { ConnectArnKind, parseConnectArn } from '../core/connect-arn';

/** A parsed instance or traffic distribution group ARN: what ListPhoneNumbersV2 accepts as `TargetArn`. */
export interface LookupTarget {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly kind: 'instance' | 'traffic-distribution-group';
  readonly id: string;
}

/** The target, or undefined when `arn` is not an instance or traffic distribution group ARN. */
export function parseLookupTarget(arn: string): LookupTarget | undefined {
  const parsed = parseConnectArn(arn);
  if (parsed?.kind !== ConnectArnKind.INSTANCE && parsed?.kind !== ConnectArnKind.TRAFFIC_DISTRIBUTION_GROUP) return undefined;
  const kind: LookupTarget['kind'] = parsed.kind === ConnectArnKind.INSTANCE ? 'instance' : 'traffic-distribution-group';
  return { arn, partition: parsed.partition, region: parsed.region, account: parsed.account, kind, id: parsed.id };
}

/** Why `value` is not a lookup target, with the form expected and, when one is obvious, the fix. */
export function describeInvalidTarget(value: unknown): string {
  const shown = typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  let hint = '';
  if (typeof value === 'string') {
    const inside = parseConnectArn(value);
    if (inside?.instanceArn !== undefined) hint = `; that is the ARN of something inside an instance, did you mean the instance ${inside.instanceArn}?`;
    else if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) hint = '; that looks like an instance id, give the full instance ARN';
    else if (/:phone-number\//.test(value)) hint = '; that is a phone number ARN, give the ARN of the instance that claimed it';
  }
  return (
    'expected the ARN of a Connect instance (arn:aws:connect:<region>:<account>:instance/<id>) or traffic distribution group ' +
    `(arn:aws:connect:<region>:<account>:traffic-distribution-group/<id>), got ${shown}${hint}`
  );
}
