import type { Cluster, Redis } from 'ioredis';

/**
 * A Redis the stores and queues use: one server (Memorystore, a bundled Redis) or a Redis Cluster
 * (Memorystore Cluster). Every key of a prefix shares its {hash tag}, so multi-key commands stay in one
 * slot either way.
 */
export type RedisClient = Redis | Cluster;
