// Checks of construct props that no rule of the catalogue describes: they throw, naming the construct.
import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Throws, naming the construct, when a flow or queue name is outside Connect's 1-127 characters. */
export function validateName(scope: Construct, name: string): void {
  if (!Token.isUnresolved(name) && (name.length < 1 || name.length > 127)) {
    throw new Error(`${scope.node.path}: name must be 1-127 characters, got ${name.length}`);
  }
}

/** Several problems of one construct as a list in one message; a single one as it is. */
export function listProblems(problems: readonly string[]): string {
  return problems.length === 1 ? problems[0] : problems.map((p) => `\n  - ${p}`).join('');
}
