const TARGET_ARN = /^arn:(aws[a-z-]*):connect:([a-z0-9-]+):(\d{12}):(instance|traffic-distribution-group)\/([A-Za-z0-9-]+)$/;
const INSIDE_INSTANCE = /^(arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[A-Za-z0-9-]+)\/.+$/;

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
  const m = TARGET_ARN.exec(arn);
  if (!m) return undefined;
  return { arn, partition: m[1], region: m[2], account: m[3], kind: m[4] as LookupTarget['kind'], id: m[5] };
}

/** Why `value` is not a lookup target, with the form expected and, when one is obvious, the fix. */
export function describeInvalidTarget(value: unknown): string {
  const shown = typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  let hint = '';
  if (typeof value === 'string') {
    const inside = INSIDE_INSTANCE.exec(value);
    if (inside) hint = `; that is the ARN of something inside an instance, did you mean the instance ${inside[1]}?`;
    else if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) hint = '; that looks like an instance id, give the full instance ARN';
    else if (/:phone-number\//.test(value)) hint = '; that is a phone number ARN, give the ARN of the instance that claimed it';
  }
  return (
    'expected the ARN of a Connect instance (arn:aws:connect:<region>:<account>:instance/<id>) or traffic distribution group ' +
    `(arn:aws:connect:<region>:<account>:traffic-distribution-group/<id>), got ${shown}${hint}`
  );
}
