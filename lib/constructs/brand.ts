// Type tests that hold across copies of this package. An app can load two copies (a company's construct library
// pinned to one version, the app to another), and `instanceof` is false for an object of the other copy, as it
// is for aws-cdk-lib's classes: so each class marks its instances with a symbol from the global registry, which
// both copies share, as aws-cdk-lib's `isXxx` methods do.

/** Marks `instance` as one of the class `name`. */
export function brand(instance: object, name: string): void {
  Object.defineProperty(instance, Symbol.for(`cdk-connect-caller-id.${name}`), { value: true });
}

/** Whether `x` was marked as one of the class `name`, by any copy of this package. */
export function hasBrand(x: unknown, name: string): boolean {
  return typeof x === 'object' && x !== null && Symbol.for(`cdk-connect-caller-id.${name}`) in x;
}
