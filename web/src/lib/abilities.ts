/** The abilities keyhold knows, in the order it lists them. */
export const ABILITIES = ['root', 'read', 'write', 'read:sensitive', 'verify', 'admin'] as const;
export type Ability = (typeof ABILITIES)[number];

export const ABILITY_HELP: Record<Ability, string> = {
  root: 'everything in the team: tokens, audit, private keys',
  read: 'read keys, projects and the overview',
  write: 'create, change and delete keys and projects',
  'read:sensitive': 'read, and reveal SSH private keys',
  verify: 'verify API keys (gateways)',
  admin: 'teams and regions of the whole instance',
};

/** keyhold's own rule (src/domain/types.ts hasAbility): `root` passes every team ability; `read:sensitive` implies `read`. */
export function can(abilities: readonly string[], needed: Ability): boolean {
  if (needed === 'admin') return abilities.includes('admin');
  if (abilities.includes('root') || abilities.includes('*')) return true;
  if (abilities.includes(needed)) return true;
  return needed === 'read' && abilities.includes('read:sensitive');
}

/** May these abilities reveal private key text? */
export function canReveal(abilities: readonly string[]): boolean {
  return abilities.includes('root') || abilities.includes('*') || abilities.includes('read:sensitive');
}

/** What a token with these abilities may hand to a new one (keyhold refuses anything else). */
export function grantable(abilities: readonly string[]): Ability[] {
  return ABILITIES.filter((a) => (a === 'admin' ? abilities.includes('admin') : can(abilities, a) && (a !== 'root' || abilities.includes('root'))));
}
