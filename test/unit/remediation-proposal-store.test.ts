import type { RedisClient } from '../../src/util/redis-client';
import { redisProposalStore } from '../../src/remediation/proposal-store';
import { useTestRedis } from '../helpers/test-redis';
import { ID, spec } from '../helpers/memory-remediation';

const PREFIX = '{store-test}';
const KEY = `${PREFIX}:proposal:${ID}`;

const testRedis = useTestRedis();
let redis: RedisClient;

beforeEach(async () => {
  redis = testRedis.redis;
  await testRedis.flush();
});

describe('the Redis proposal store', () => {
  it('creates the record with its expiry in one step, and never over an existing one', async () => {
    const store = redisProposalStore(redis, PREFIX);

    await store.create(spec());

    expect(await redis.ttl(KEY)).toBeGreaterThan(29 * 24 * 3600);
    await expect(store.create(spec({ title: 'another' }))).rejects.toThrow('exists already');
    expect((await store.get(ID))?.title).toBe(spec().title);
  });

  it('a note or a move after the record expired or was lost recreates nothing', async () => {
    const store = redisProposalStore(redis, PREFIX);
    await store.create(spec());
    await redis.del(KEY);

    expect(await store.note(ID, { messageTs: '1748779300.000200', result: 'Patch applied' })).toBe(false);
    const moved = await store.move(ID, 'proposed', 'approved', { approvedBy: 'U0APPROVER' });

    expect(moved).toBe(false);
    expect(await redis.exists(KEY)).toBe(0);
    expect(await store.get(ID)).toBeNull();
  });

  it('notes and moves keep the expiry of an existing record', async () => {
    const store = redisProposalStore(redis, PREFIX);
    await store.create(spec());

    expect(await store.note(ID, { messageTs: '1748779300.000200' })).toBe(true);
    expect(await store.move(ID, 'proposed', 'approved', { approvedBy: 'U0APPROVER' })).toBe(true);

    expect(await store.get(ID)).toMatchObject({
      state: 'approved',
      messageTs: '1748779300.000200',
      approvedBy: 'U0APPROVER',
    });
    expect(await redis.ttl(KEY)).toBeGreaterThan(29 * 24 * 3600);
  });
});
