// With the u flag a well-formed surrogate pair is one code point, so this finds only the
// unpaired halves (JSON's "\ud800"): not text, and not storable as UTF-8.
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Whether `text` holds an unpaired UTF-16 surrogate. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
