// The one module that imports libphonenumber-js. `npm run build` replaces its compiled output with an esbuild bundle
// of it (scripts/bundle-handler.js), so the package ships the metadata it was tested with and has no runtime
// dependency, which jsii would otherwise require as a bundledDependency (packing all 12 MB of libphonenumber-js).
// Its types are declared here rather than re-exported, so the package's declaration files never name a module
// that its users do not have installed.
import * as lpn from 'libphonenumber-js/max';

/** libphonenumber-js's number types (from its full metadata), used where the inventory does not type a number. */
export type NumberKind =
  | 'FIXED_LINE' | 'MOBILE' | 'FIXED_LINE_OR_MOBILE' | 'TOLL_FREE' | 'PREMIUM_RATE' | 'SHARED_COST' | 'VOIP'
  | 'PERSONAL_NUMBER' | 'PAGER' | 'UAN' | 'VOICEMAIL';

/** What this library reads of a number libphonenumber-js parsed. */
export interface PhoneNumber {
  /** The E.164 form. */
  readonly number: string;
  readonly country?: string;
  /** The country calling code, without the +. */
  readonly countryCallingCode: string;
  isValid(): boolean;
  getType(): NumberKind | undefined;
}

/** ISO 3166-1 alpha-2 codes of the countries libphonenumber-js has metadata for. */
export function getCountries(): string[] {
  return lpn.getCountries();
}

/**
 * Parses `text`, in international form or, given `country`, in that country's national form. The result is
 * checked against this module's `PhoneNumber` by the compiler, so a new number type in libphonenumber-js fails
 * the build instead of reaching the rules unnamed.
 */
export function parsePhoneNumberFromString(text: string, country?: string): PhoneNumber | undefined {
  return lpn.parsePhoneNumberFromString(text, country as lpn.CountryCode | undefined);
}
