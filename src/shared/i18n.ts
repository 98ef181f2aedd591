// Every user-facing string goes through chrome.i18n (public/_locales/<locale>/messages.json).
// The key type comes from the English file with a type-only import, so a missing or misspelled key
// fails the type check and no JSON ends up in a bundle.
export type MessageKey = keyof typeof import('../../public/_locales/en/messages.json');

/** Every text given so far: a page whose extension was updated under it loses chrome.i18n. */
const given = new Map<string, string>();

/** The message `key` in the browser's UI language (English when that language has no translation). */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  const id = [key, ...substitutions].join('\u0000');
  try {
    const text = chrome.i18n.getMessage(key, substitutions.map(String));
    given.set(id, text);
    return text;
  } catch {
    // The extension was updated or reloaded under this page: what it said before still stands.
    return given.get(id) ?? '';
  }
}

// Marks where a rich substitution goes: private-use characters that no translation contains.
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * Like `t`, for messages with elements inside (a <strong>, a <kbd>): returns the message as text
 * pieces and the given substitutions, in the order the translation puts them.
 */
export function tRich<T>(key: MessageKey, ...substitutions: (string | number | T)[]): (string | number | T)[] {
  const text = t(key, ...substitutions.map((_, index) => `${OPEN}${index}${CLOSE}`));
  return text
    .split(new RegExp(`${OPEN}(\\d+)${CLOSE}`))
    .map((piece, index) => (index % 2 === 1 ? substitutions[Number(piece)]! : piece))
    .filter((piece) => piece !== '');
}
