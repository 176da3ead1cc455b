import * as Y from 'yjs';
import { setYText, textChange, toWellFormed, truncateText } from './yjs-text';

describe('textChange', () => {
  it('finds the one contiguous change', () => {
    expect(textChange('hello world', 'hello brave world')).toEqual({ index: 6, remove: 0, insert: 'brave ' });
    expect(textChange('abc', 'abc')).toBeNull();
    expect(textChange('aaa', 'aa')).toEqual({ index: 2, remove: 1, insert: '' });
    expect(textChange('', 'new')).toEqual({ index: 0, remove: 0, insert: 'new' });
  });

  it('never splits a surrogate pair', () => {
    // 😀 and 😃 share their high surrogate; the change must replace the whole emoji
    expect(textChange('a😀b', 'a😃b')).toEqual({ index: 1, remove: 2, insert: '😃' });
    // 😀 and 🙀 share their low surrogate
    expect(textChange('x😀', 'x🙀')).toEqual({ index: 1, remove: 2, insert: '🙀' });
  });
});

describe('setYText', () => {
  it('applies the change as one delete and one insert, merging with concurrent typing', () => {
    const a = new Y.Doc();
    const text = a.getText('t');
    text.insert(0, 'The users table.');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    setYText(text, 'The users table. Soft-deleted.');
    setYText(b.getText('t'), 'All the users table.');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(text.toString()).toBe('All the users table. Soft-deleted.');
    expect(b.getText('t').toString()).toBe(text.toString());
  });

  it('replaces the whole text when a foreign client left embeds in it', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'ab');
    text.insertEmbed(1, { image: 'x' });
    setYText(text, 'abc');
    expect(text.toString()).toBe('abc');
    expect(text.length).toBe(3);
  });
});

describe('toWellFormed', () => {
  it('replaces lone surrogates, keeping pairs', () => {
    expect(toWellFormed('a\uD83Db')).toBe('a\uFFFDb');
    expect(toWellFormed('\uDE00x\uD83D')).toBe('\uFFFDx\uFFFD');
    expect(toWellFormed('ok 💸')).toBe('ok 💸');
  });

  it('keeps replicas equal when a client writes half an emoji', () => {
    const a = new Y.Doc();
    setYText(a.getText('t'), 'x\uD83D');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(b.getText('t').toString()).toBe(a.getText('t').toString());
  });
});

describe('truncateText', () => {
  it('cuts to the limit without leaving half an emoji', () => {
    expect(truncateText('abcdef', 3)).toBe('abc');
    expect(truncateText('ab😀', 3)).toBe('ab');
    expect(truncateText('ab', 3)).toBe('ab');
  });
});
