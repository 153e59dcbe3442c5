import { type Expression, type SqlBool, sql } from 'kysely';

/**
 * `column` contains `text`, ignoring ASCII case, on both databases: LIKE with the pattern's own
 * wildcards escaped and an explicit ESCAPE (SQLite has no default escape character, PostgreSQL's
 * is a backslash), over lower-cased text (PostgreSQL's LIKE is case-sensitive, SQLite's is not).
 */
export function containsText(column: string, text: string): Expression<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}
