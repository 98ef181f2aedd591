// Every locale has exactly the English keys, the same placeholders, and no empty message.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { t, tRich } from './i18n';

interface Message {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

const root = resolve(import.meta.dirname, '../../public/_locales');
const load = (locale: string): Record<string, Message> =>
  JSON.parse(readFileSync(resolve(root, locale, 'messages.json'), 'utf8')) as Record<string, Message>;
const locales = readdirSync(root).sort();
const en = load('en');

/** The $name$ placeholders a message uses, sorted. */
const used = (message: string): string[] => [...new Set([...message.matchAll(/\$([a-z0-9_]+)\$/gi)].map((m) => m[1]!.toLowerCase()))].sort();

describe('locales', () => {
  it('has English and the Genesys agent desktop languages asked for', () => {
    expect(locales).toEqual(expect.arrayContaining(['de', 'en', 'es', 'fr', 'ja', 'pt_BR']));
  });

  it.each(locales)('%s has exactly the English keys, placeholders and no empty message', (locale) => {
    const messages = load(locale);
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
    for (const [key, { message, placeholders }] of Object.entries(messages)) {
      expect(message.trim(), `${locale}/${key}`).not.toBe('');
      expect(placeholders, `${locale}/${key}`).toEqual(en[key]!.placeholders);
      // Every declared placeholder is used, and nothing undeclared is.
      expect(used(message), `${locale}/${key}`).toEqual(Object.keys(placeholders ?? {}).sort());
      // Chrome would show a stray positional "$1" literally inside the message.
      expect(message, `${locale}/${key}`).not.toMatch(/\$\d/);
    }
  });
});

describe('t', () => {
  it('substitutes placeholders', () => {
    expect(t('toolbarTitle', 'Muted')).toBe('Genesys Mic Control — Muted');
    expect(t('otherCallsMany', 2)).toBe('+2 calls on hold/ringing');
  });

  it('tRich puts elements where the translation wants them', () => {
    const element = { element: true };
    expect(tRich('signedInAs', element)).toEqual(['Signed in as ', element]);
    expect(tRich('shortcutHint', 'Change shortcut', element).at(-2)).toBe(element);
  });
});
