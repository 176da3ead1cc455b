import { SaveTracker } from './save-tracker';

describe('SaveTracker', () => {
  it('[WU1] an edit sent while connected is saved once the ack counts its update', () => {
    const t = new SaveTracker();
    t.opened();
    t.contentSent('step2'); // the answer to the server's step 1 (1)
    t.contentSent('update'); // the edit (2)
    t.localEdit(true);
    expect(t.unsaved).toBe(1);
    t.saved(1);
    expect(t.unsaved).toBe(1);
    t.saved(2);
    expect(t.unsaved).toBe(0);
    expect(t.hasEdited).toBe(true);
  });

  it('[WU2] edits made offline ride on the next connection’s sync step 2, whose count restarts', () => {
    const t = new SaveTracker();
    t.opened();
    t.contentSent('step2');
    t.closed();
    t.localEdit(false);
    t.localEdit(false);
    t.localEdit(false);
    expect(t.unsaved).toBe(3);
    t.opened();
    t.saved(5); // a stale ack number from nowhere does not count before the step 2 is sent… (count restarts at 0)
    expect(t.unsaved).toBe(3);
    t.contentSent('step2'); // count 1 carries all three
    t.saved(1);
    expect(t.unsaved).toBe(0);
  });

  it('[WU3] an edit sent but not acknowledged before a disconnect is counted again on the new connection', () => {
    const t = new SaveTracker();
    t.opened();
    t.contentSent('step2');
    t.contentSent('update');
    t.localEdit(true);
    t.closed();
    expect(t.unsaved).toBe(1);
    t.opened();
    t.contentSent('step2');
    t.contentSent('update');
    t.localEdit(true);
    expect(t.unsaved).toBe(2);
    t.saved(1);
    expect(t.unsaved).toBe(1);
    t.saved(2);
    expect(t.unsaved).toBe(0);
  });

  it('[WU4] sends while closed are ignored; nothing edited means nothing unsaved', () => {
    const t = new SaveTracker();
    t.contentSent('update');
    expect(t.unsaved).toBe(0);
    expect(t.hasEdited).toBe(false);
  });
});
