import { GradeScheduler } from './grade-scheduler';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GradeScheduler', () => {
  const fired: Array<{ key: string; at: number }> = [];
  let scheduler: GradeScheduler;
  const start = (debounceMs: number, maxWaitMs: number) => {
    fired.length = 0;
    scheduler = new GradeScheduler({ debounceMs, maxWaitMs }, (key) => fired.push({ key, at: Date.now() }));
  };
  afterEach(() => scheduler.close());

  it('[GS1] a burst of changes fires once, a debounce after the last', async () => {
    start(60, 10_000);
    let last = 0;
    for (let i = 0; i < 10; i++) {
      scheduler.changed('a');
      last = Date.now();
      await sleep(5);
    }
    await sleep(150);
    expect(fired.map((f) => f.key)).toEqual(['a']);
    expect(fired[0].at - last).toBeGreaterThanOrEqual(55);
  });

  it('[GS2] steady changes still fire at least every max wait', async () => {
    start(80, 150);
    const started = Date.now();
    while (Date.now() - started < 700) {
      scheduler.changed('a');
      await sleep(20);
    }
    const during = fired.length;
    await sleep(150);
    expect(during).toBeGreaterThanOrEqual(3);
    expect(during).toBeLessThanOrEqual(6);
    expect(fired.length).toBe(during + 1); // and once more after the typing stopped
  });

  it('[GS3] keys are independent; cancel disarms and reports whether it was armed', async () => {
    start(40, 1000);
    scheduler.changed('a');
    scheduler.changed('b');
    expect(scheduler.isPending('a')).toBe(true);
    expect(scheduler.cancel('a')).toBe(true);
    expect(scheduler.cancel('a')).toBe(false);
    await sleep(100);
    expect(fired.map((f) => f.key)).toEqual(['b']);
    expect(scheduler.isPending('b')).toBe(false);
  });

  it('[GS4] a zero debounce fires on the next turn of the event loop, coalescing what came in the same turn', async () => {
    start(0, 0);
    for (let i = 0; i < 5; i++) scheduler.changed('a');
    await sleep(20);
    expect(fired).toHaveLength(1);
  });
});
