import { type TLiteral, type TSchemaOptions, type TUnion, Type } from 'typebox';

/**
 * `Type.Union` of string literals from a constant list (`['a', 'b'] as const`), typed as the union of
 * those literals: `Type.Union(list.map(Type.Literal))` alone types as an array of `TLiteral<string>`,
 * whose static type is `never`, and a handler answering one of the values would not compile.
 */
export function literalUnion<const T extends readonly string[]>(values: T, options?: TSchemaOptions): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;
}
