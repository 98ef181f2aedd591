// Every locale has exactly the English keys, the same placeholders, and no empty message.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
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

// Found by the soak (seed 6): after an extension reload, a popup still open went to render its
// "updated: close this window" notice, and chrome.i18n threw 'Extension context invalidated' in
// the orphaned page, so the notice never showed and the render failed.
describe('text in a page whose extension was updated under it (found by the soak)', () => {
  it('keeps giving what it gave before, and never throws', () => {
    const before = t('updatedCloseWindow');
    const withValue = t('muteServerError', 503);
    const real = chrome.i18n.getMessage;
    const spy = vi.spyOn(chrome.i18n, 'getMessage').mockImplementation(() => {
      throw new Error('Extension context invalidated.');
    });
    try {
      expect(t('updatedCloseWindow')).toBe(before);
      expect(t('muteServerError', 503)).toBe(withValue);
      expect(() => t('connectionLive')).not.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(chrome.i18n.getMessage).toBe(real);
  });
});
