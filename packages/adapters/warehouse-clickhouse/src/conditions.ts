import type { QueryParams } from './database.ts';

/** A WHERE clause of bound placeholders; the SQL text holds only constant fragments. */
export class Conditions {
  readonly params: QueryParams;
  readonly #clauses: string[] = [];

  constructor(params: QueryParams) {
    this.params = params;
  }

  /** Adds `clause`, binding `value` to `name`, unless the value is undefined (no filter). */
  add(clause: string, name: string, value: string | number | readonly string[] | undefined): void {
    if (value === undefined) return;
    this.#clauses.push(clause);
    this.params[name] = value;
  }

  sql(): string {
    return this.#clauses.length === 0 ? '' : `WHERE ${this.#clauses.join(' AND ')}`;
  }
}
