import { KeyedSerialQueue } from './keyed-serial-queue';

describe('KeyedSerialQueue', () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('[Q1] runs tasks of one key one after another, in order, even when one fails', async () => {
    const queue = new KeyedSerialQueue();
    const log: string[] = [];
    const gate = deferred();
    const first = queue.run('s', async () => {
      log.push('1 start');
      await gate.promise;
      log.push('1 end');
      throw new Error('boom');
    });
    const second = queue.run('s', async () => {
      log.push('2');
      return 2;
    });
    await Promise.resolve();
    expect(log).toEqual(['1 start']);
    gate.resolve();
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe(2);
    expect(log).toEqual(['1 start', '1 end', '2']);
  });

  it('[Q2] runs different keys concurrently and drain waits for all; finished keys are forgotten', async () => {
    const queue = new KeyedSerialQueue();
    const gate = deferred();
    let bDone = false;
    void queue.run('a', () => gate.promise);
    await queue.run('b', async () => {
      bDone = true;
    });
    expect(bDone).toBe(true);
    let drained = false;
    const drain = queue.drain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    gate.resolve();
    await drain;
    expect(queue.size).toBe(0);
  });
});
