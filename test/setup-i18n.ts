// Unit tests run in Node, which has no chrome.i18n: answer getMessage from the English messages,
// with Chrome's placeholder substitution, so tests keep asserting the English text.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface Message {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

const messages = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../public/_locales/en/messages.json'), 'utf8'),
) as Record<string, Message>;

/** What chrome.i18n.getMessage does: $name$ → its placeholder's content, $1…$9 → the substitutions. */
export function getMessage(key: string, substitutions?: string | string[]): string {
  const entry = messages[key];
  if (!entry) return '';
  const args = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  const positional = (text: string): string => text.replace(/\$(\d)/g, (_, n: string) => args[Number(n) - 1] ?? '');
  return entry.message.replace(/\$([a-z0-9_@]+)\$/gi, (whole, name: string) => {
    const placeholder = entry.placeholders?.[name.toLowerCase()];
    return placeholder ? positional(placeholder.content) : whole;
  });
}

const global = globalThis as unknown as { chrome?: Record<string, unknown> };
global.chrome ??= {};
global.chrome.i18n = { ...(global.chrome.i18n as object | undefined), getMessage, getUILanguage: () => 'en' };
