/**
 * The example `npm start` prints: a FileStreamSource -> RocketMQ -> FileStreamSink pair made
 * with curl. The README shows the same commands (a unit test keeps the two equal), and the
 * end-to-end test of `npm start` runs exactly what was printed.
 */
export function exampleCommands(apiUrl: string, token: string): string {
  return [`export CONNECT_API_URL=${apiUrl} CONNECT_API_TOKEN=${token}`, EXAMPLE_BODY].join('\n');
}

/** Everything after the line that names the API and the token. */
export const EXAMPLE_BODY = String.raw`demo=${'$'}{DEMO_DIR:-/tmp/rmq-connect-demo}; mkdir -p "$demo"
seq 1 10000 | sed 's/^/line /' > "$demo/input.txt"
curl -sS -X POST "$CONNECT_API_URL/connectors" -H "Authorization: Bearer $CONNECT_API_TOKEN" \
  -H 'Content-Type: application/json' -d @- <<EOF; echo
{"name": "demo-source", "config": {"connector.class": "FileStreamSource",
  "file": "$demo/input.txt", "topic": "demo-lines"}}
EOF
curl -sS -X POST "$CONNECT_API_URL/connectors" -H "Authorization: Bearer $CONNECT_API_TOKEN" \
  -H 'Content-Type: application/json' -d @- <<EOF; echo
{"name": "demo-sink", "config": {"connector.class": "FileStreamSink",
  "file": "$demo/output.txt", "topics": "demo-lines"}}
EOF
# A few seconds later: both RUNNING, and every line copied.
curl -sS -H "Authorization: Bearer $CONNECT_API_TOKEN" "$CONNECT_API_URL/connectors?expand=status"; echo
wc -l "$demo/output.txt"`;
