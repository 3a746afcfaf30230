// When the status strip calls the node stalled: no new block for longer than the longest gap that
// is still normal.  A busy chain: 10x the average block time (at least 15 s).  An idle chain that
// makes an empty block only every N s (CometBFT's create_empty_blocks_interval, served as
// status.idleBlockSeconds) is not stalled before 2N s; one that makes none when idle (N = 0) is
// never called stalled from time alone (null).

const STALL_FACTOR = 10;
const STALL_FLOOR_S = 15;

/** The longest normal gap between blocks, in seconds. */
export function expectedGap(avgBlockMs, idleBlockSeconds) {
  const busy = (STALL_FACTOR * avgBlockMs) / 1000;
  return idleBlockSeconds ? Math.max(busy, 2 * idleBlockSeconds) : busy;
}

/** Seconds without a block after which the node is called stalled, or null (never from time alone). */
export function stallSeconds(avgBlockMs, idleBlockSeconds) {
  if (idleBlockSeconds === 0) return null;
  return Math.max(STALL_FLOOR_S, expectedGap(avgBlockMs, idleBlockSeconds) + 5);
}
