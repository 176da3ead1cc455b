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

  it('[GS5] bursts with quiet gaps longer than the debounce fire at most once per min interval', () => {
    jest.useFakeTimers();
    try {
      const runs: number[] = [];
      const bursty = new GradeScheduler({ debounceMs: 20, maxWaitMs: 1000, minIntervalMs: 200 }, () => runs.push(Date.now()));
      const unlimited = new GradeScheduler({ debounceMs: 20, maxWaitMs: 1000 }, () => runs.push(-1));
      for (let t = 0; t < 1000; t += 60) {
        bursty.changed('a');
        unlimited.changed('a');
        jest.advanceTimersByTime(60); // the burst, then 60 ms of quiet: past the debounce
      }
      jest.advanceTimersByTime(500);
      const limited = runs.filter((r) => r >= 0);
      expect(runs.filter((r) => r < 0).length).toBe(17); // every burst, without a min interval
      expect(limited.length).toBeGreaterThanOrEqual(5);
      expect(limited.length).toBeLessThanOrEqual(6);
      for (let i = 1; i < limited.length; i++) expect(limited[i] - limited[i - 1]).toBeGreaterThanOrEqual(200);
      bursty.close();
      unlimited.close();
    } finally {
      jest.useRealTimers();
    }
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
