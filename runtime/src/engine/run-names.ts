/**
 * Human-friendly names for flow runs, like Prefect's (`"crimson-otter"`). Not unique: the id is the
 * identity; the name is for people scanning a list.
 */
const ADJECTIVES = [
  "amber", "ancient", "bold", "brave", "bright", "calm", "clever", "cobalt", "crimson", "curious",
  "daring", "dusky", "eager", "electric", "emerald", "fierce", "gentle", "gilded", "golden", "hazy",
  "humble", "icy", "jolly", "keen", "lively", "lucky", "mellow", "misty", "nimble", "noble",
  "olive", "patient", "plucky", "quick", "quiet", "rapid", "rustic", "scarlet", "serene", "silver",
  "sleek", "snowy", "spry", "steady", "stormy", "sunny", "swift", "tidy", "vivid", "witty",
] as const;

const ANIMALS = [
  "albatross", "antelope", "badger", "beaver", "bison", "caracal", "cheetah", "condor", "coyote", "crane",
  "dingo", "dolphin", "eagle", "egret", "ferret", "finch", "gazelle", "gecko", "heron", "ibex",
  "jackal", "jaguar", "kestrel", "koala", "lemur", "lynx", "magpie", "marmot", "mink", "moose",
  "narwhal", "newt", "ocelot", "otter", "owl", "panda", "pelican", "puffin", "quail", "raven",
  "salmon", "seal", "sparrow", "stoat", "tapir", "toucan", "turtle", "vole", "walrus", "wombat",
] as const;

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** An adjective-animal slug such as `"swift-heron"`. */
export function generateFlowRunName(random: () => number = Math.random): string {
  return `${pick(ADJECTIVES, random)}-${pick(ANIMALS, random)}`;
}
