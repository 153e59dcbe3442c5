/** The abilities keyhold knows, in the order it lists them. */
export const ABILITIES = ['root', 'read', 'write', 'read:sensitive', 'verify', 'verify:all', 'sign', 'certify', 'admin'] as const;
export type Ability = (typeof ABILITIES)[number];

export const ABILITY_HELP: Record<Ability, string> = {
  root: 'everything in the team: tokens, audit, private keys',
  read: 'read keys, projects and the overview',
  write: 'create, change and delete keys and projects',
  'read:sensitive': 'read, and reveal SSH private keys',
  verify: "verify the team's API keys (gateways)",
  'verify:all': "verify every team's API keys (an instance-wide gateway; administrators grant it)",
  sign: 'sign with SSH keys through keyhold (keyhold agent), never reveal them',
  certify: 'issue SSH certificates from roles',
  admin: 'teams and regions of the whole instance',
};

/** Abilities over the whole instance: nothing implies them, only `admin` grants them. */
const INSTANCE = new Set<string>(['admin', 'verify:all']);

/** keyhold's own rule (src/domain/types.ts hasAbility): `root` passes every team ability; `read:sensitive` implies `read`, `verify:all` `verify`. */
export function can(abilities: readonly string[], needed: Ability): boolean {
  if (INSTANCE.has(needed)) return abilities.includes(needed);
  if (abilities.includes('root') || abilities.includes('*')) return true;
  if (abilities.includes(needed)) return true;
  if (needed === 'verify') return abilities.includes('verify:all');
  return needed === 'read' && abilities.includes('read:sensitive');
}

/** May these abilities reveal private key text? */
export function canReveal(abilities: readonly string[]): boolean {
  return abilities.includes('root') || abilities.includes('*') || abilities.includes('read:sensitive');
}

/** What a token with these abilities may hand to a new one (keyhold refuses anything else). */
export function grantable(abilities: readonly string[]): Ability[] {
  return ABILITIES.filter((a) => (INSTANCE.has(a) ? abilities.includes('admin') : can(abilities, a) && (a !== 'root' || abilities.includes('root'))));
}
