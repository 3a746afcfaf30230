// A small graphql-transport-ws client: one socket, one subscription at a time per call,
// reconnects with capped backoff and resumes from the last height it saw.
//
// subscribeBlocks({ onBlock, onState }) -> stop()
//   onBlock(block)  for every committed block (fields: number timestamp numTxs hash appHash proposer)
//   onState(state)  "connecting" | "live" | "down"

const BLOCK_FIELDS = "number timestamp numTxs hash appHash proposer";
const MAX_BACKOFF_MS = 8000;

function socketUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/graphql`;
}

export function subscribeBlocks({ onBlock, onState }) {
  let socket = null;
  let stopped = false;
  let backoff = 500;
  let lastHeight = null;
  let retryTimer = null;

  function connect() {
    onState("connecting");
    socket = new WebSocket(socketUrl(), "graphql-transport-ws");
    socket.onopen = () => socket.send(JSON.stringify({ type: "connection_init", payload: {} }));
    socket.onmessage = (event) => {
      let msg;
      try { msg = JSON.parse(event.data); } catch { return; }
      if (msg.type === "connection_ack") {
        backoff = 500;
        const fromHeight = lastHeight === null ? null : lastHeight + 1;
        socket.send(JSON.stringify({
          id: "blocks", type: "subscribe",
          payload: {
            query: `subscription($from: Int) { newBlocks(fromHeight: $from) { ${BLOCK_FIELDS} } }`,
            variables: { from: fromHeight },
          },
        }));
        onState("live");
      } else if (msg.type === "next" && msg.payload && msg.payload.data) {
        const block = msg.payload.data.newBlocks;
        lastHeight = block.number;
        onBlock(block);
      } else if (msg.type === "ping") {
        socket.send(JSON.stringify({ type: "pong" }));
      } else if (msg.type === "error" || msg.type === "complete") {
        socket.close();
      }
    };
    socket.onclose = () => {
      if (stopped) return;
      onState("down");
      retryTimer = setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
    socket.onerror = () => { /* onclose follows and schedules the retry */ };
  }

  connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    if (socket) socket.close();
  };
}
