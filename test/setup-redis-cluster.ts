// The second run of the store and queue tests: their Redis is a local three-master Redis Cluster.
process.env.MESH_TEST_REDIS = 'cluster';
