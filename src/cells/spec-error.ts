/** A spec that failed validation: every error, each naming the cell, the field and the rule. */
export class SpecError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(errors.join('\n'));
    this.name = 'SpecError';
  }
}
