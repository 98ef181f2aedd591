import { describe, expect, it } from 'vitest';
import { answer, type handlers } from './handlers';

type Table = ReturnType<typeof handlers>;

describe('who may ask what', () => {
  const asked: string[] = [];
  const table = new Proxy({} as Table, {
    get: (_target, type: string) => async () => {
      asked.push(type);
      return { ok: true };
    },
  });

  it('answers the diagnostics only to the extension\'s own pages, never to the page control', async () => {
    expect(answer(table, { type: 'get-diagnostics' }, 'page')).toBeUndefined();
    expect(answer(table, { type: 'get-diagnostics' }, undefined)).toBeUndefined();
    await answer(table, { type: 'get-diagnostics' }, 'extension');
    expect(asked).toEqual(['get-diagnostics']);
  });
});
