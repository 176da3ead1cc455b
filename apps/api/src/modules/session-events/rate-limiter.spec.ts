import { TokenBucket } from './rate-limiter';

describe('TokenBucket', () => {
  it('[RL1] lets a burst of `capacity` through, then answers how long to wait', () => {
    let now = 1_000;
    const bucket = new TokenBucket(3, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(500); // 2 per second: the next token in 500 ms
    now += 250;
    expect(bucket.take()).toBe(250);
    now += 250;
    expect(bucket.take()).toBe(0);
  });

  it('[RL2] refills at the rate but never above capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 1, () => now);
    bucket.take();
    bucket.take();
    now += 60_000;
    expect([bucket.take(), bucket.take()]).toEqual([0, 0]);
    expect(bucket.take()).toBeGreaterThan(0);
  });
});
