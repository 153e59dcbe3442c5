import { randomInt } from 'node:crypto';
import { randomLowerAlnum } from '../../crypto/secret.js';

// Alliterative pairs in the spirit of nubs/random-name-generator, which Coolify uses.
const WORDS: Record<string, [string[], string[]]> = {
  a: [['able', 'agile', 'amber', 'ancient'], ['ant', 'ape', 'alpaca', 'anchor']],
  b: [['brave', 'bold', 'bright', 'busy'], ['bear', 'badger', 'bee', 'bison']],
  c: [['calm', 'clever', 'cosmic', 'crisp'], ['cat', 'crane', 'cobra', 'comet']],
  d: [['daring', 'dusty', 'deep', 'dapper'], ['dog', 'dolphin', 'dove', 'dragon']],
  e: [['eager', 'easy', 'elegant', 'epic'], ['eagle', 'eel', 'elk', 'ember']],
  f: [['fancy', 'fast', 'fierce', 'fresh'], ['falcon', 'fox', 'frog', 'fern']],
  g: [['gentle', 'giant', 'golden', 'grand'], ['goat', 'goose', 'gecko', 'gull']],
  h: [['happy', 'hidden', 'humble', 'hardy'], ['hawk', 'heron', 'horse', 'hare']],
  j: [['jolly', 'jazzy', 'jade', 'just'], ['jaguar', 'jay', 'jellyfish', 'jackal']],
  k: [['keen', 'kind', 'kinetic', 'knotty'], ['kite', 'koala', 'kudu', 'kestrel']],
  l: [['lively', 'lucky', 'lunar', 'loyal'], ['lion', 'lark', 'lynx', 'llama']],
  m: [['mighty', 'merry', 'misty', 'modest'], ['moose', 'mole', 'magpie', 'mantis']],
  n: [['nimble', 'noble', 'neat', 'nifty'], ['newt', 'narwhal', 'nightingale', 'nebula']],
  o: [['odd', 'olive', 'open', 'orange'], ['otter', 'owl', 'ox', 'orca']],
  p: [['proud', 'polite', 'plucky', 'pure'], ['panda', 'parrot', 'puma', 'pelican']],
  q: [['quick', 'quiet', 'quaint', 'quirky'], ['quail', 'quokka', 'quasar', 'quetzal']],
  r: [['rapid', 'rare', 'rustic', 'royal'], ['raven', 'robin', 'rabbit', 'reindeer']],
  s: [['swift', 'silent', 'sunny', 'sturdy'], ['swan', 'seal', 'sparrow', 'salmon']],
  t: [['tidy', 'tiny', 'true', 'tough'], ['tiger', 'toad', 'trout', 'turtle']],
  v: [['vivid', 'vast', 'valiant', 'velvet'], ['viper', 'vole', 'vulture', 'vicuna']],
  w: [['wise', 'wild', 'witty', 'warm'], ['wolf', 'wren', 'walrus', 'whale']],
  y: [['young', 'yellow', 'yummy', 'yearly'], ['yak', 'yeti', 'yarrow', 'yew']],
  z: [['zesty', 'zany', 'zealous', 'zippy'], ['zebra', 'zebu', 'zander', 'zephyr']],
};
const LETTERS = Object.keys(WORDS);
const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)]!;

/** `<adjective>-<noun>-<24 [a-z0-9]>`, both words on the same letter, like Coolify's `generate_random_name`. */
export function generateKeyName(): string {
  const [adjectives, nouns] = WORDS[pick(LETTERS)]!;
  return `${pick(adjectives)}-${pick(nouns)}-${randomLowerAlnum(24)}`;
}
