// The extension's own messages for a locale, read from public/_locales, so localized journeys say
// what the agent reads in that language (Chromium's test/e2e/i18n.test.ts, Firefox's too).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Messages = Record<string, { message: string }>;

/** `m(key, ...substitutions)`: the message in `locale`, placeholders filled in order. */
export function messages(locale: string): (key: string, ...substitutions: string[]) => string {
  const file = JSON.parse(readFileSync(resolve(import.meta.dirname, `../../public/_locales/${locale}/messages.json`), 'utf8')) as Messages;
  return (key, ...substitutions) => {
    const text = file[key]?.message;
    if (text === undefined) throw new Error(`no message ${key} in ${locale}`);
    let index = 0;
    return text.replace(/\$[a-z0-9_]+\$/gi, () => substitutions[index++] ?? '');
  };
}
