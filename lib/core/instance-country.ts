import { parseConnectArn } from './connect-arn';
import { Inventory } from './inventory';

/**
 * The country each AWS Region that offers Amazon Connect is in (Connect admin guide, "Availability of Amazon
 * Connect features by Region"). An instance's telephony is provisioned in its Region, so this is where calls
 * it places start; numbers of other countries it may claim are judged by their own country.
 */
export const CONNECT_REGION_COUNTRIES: ReadonlyMap<string, string> = new Map(Object.entries({
  'us-east-1': 'US',
  'us-west-2': 'US',
  'us-gov-west-1': 'US',
  'ca-central-1': 'CA',
  'eu-west-2': 'GB',
  'eu-central-1': 'DE',
  'af-south-1': 'ZA',
  'ap-northeast-1': 'JP',
  'ap-northeast-2': 'KR',
  'ap-southeast-1': 'SG',
  'ap-southeast-2': 'AU',
}));

/** The country of an instance and how it was told, for messages. */
export interface InstanceCountry {
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** E.g. `its Region is eu-west-2`. */
  readonly because: string;
}

/**
 * Where an instance is: the country of the Region in its ARN, which is where its calls are placed from; for an
 * ARN of no known Connect Region (or none at all), the country most of its claimed numbers are in.
 * Undefined when neither tells.
 */
export function instanceCountry(inventory: Inventory): InstanceCountry | undefined {
  const region = parseConnectArn(inventory.instanceArn)?.region;
  const fromRegion = region !== undefined ? CONNECT_REGION_COUNTRIES.get(region) : undefined;
  if (fromRegion !== undefined) return { country: fromRegion, because: `its Region is ${region}` };
  const [mostNumbers] = inventory.countries;
  return mostNumbers !== undefined ? { country: mostNumbers, because: `its claimed numbers are in ${mostNumbers}` } : undefined;
}
