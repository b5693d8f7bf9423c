#!/usr/bin/env bash
# Latency of the painting editor (jdissect paint) on the demo generator, CPU: one client, then 8 clients at once,
# each request a sample of the first 50 with 1 to 3 random strokes (remove or add a random concept), against the local
# server only. Prints the 50th and 95th percentiles and the longest, per case. Bounded: REQUESTS per client.
# Usage: bash bench/paint-load.sh [REQUESTS]   (default 200 for the lone client, 50 per client of the 8)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
requests="${1:-200}"
work="${JDISSECT_BENCH_DIR:-/tmp/jdissect-paint-bench}"
mkdir -p "$work"
m=models-onnx
if [ ! -f "$work/gan/layer3/report.json" ]; then
  ./jdissect gan-dissect --generator $m/scene_gan.onnx --layer layer3 --segmenter $m/scene_seg.onnx \
    --seg-labels $m/scene_seg_labels.csv --seg-mean 0.5,0.5,0.5 --seg-std 0.5,0.5,0.5 --samples 600 \
    --out "$work/gan" -q --device cpu >/dev/null
fi
jar=java/target/jdissect-0.1.0-SNAPSHOT-all.jar
/usr/bin/time -f "%M" -o "$work/rss" java -jar "$jar" paint --generator $m/scene_gan.onnx --layer layer3 \
  --dissection "$work/gan" --port 0 > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q 'paint: http' "$work/server.log" 2>/dev/null && break; sleep 0.2; done
url=$(grep -o 'http://[^ ]*' "$work/server.log")
/usr/bin/python3 - "$url" "$requests" <<'PY'
import json, random, statistics, sys, threading, time, urllib.request
url, n = sys.argv[1], int(sys.argv[2])
info = json.load(urllib.request.urlopen(url + "api/info"))
concepts = [c["name"] for c in info["concepts"]]
w, h = info["image_width"], info["image_height"]

def body(rnd):
    edits = []
    for _ in range(rnd.randint(1, 3)):
        pts = [[round(rnd.uniform(0, w), 1), round(rnd.uniform(0, h), 1)] for _ in range(rnd.randint(2, 12))]
        e = {"mode": rnd.choice(["remove", "add"]), "concept": rnd.choice(concepts), "top": rnd.randint(1, 16),
             "strokes": [{"points": pts, "radius": rnd.uniform(2, 8)}]}
        edits.append(e)
    return json.dumps({"sample": rnd.randint(0, 49), "edits": edits}).encode()

def client(seed, count, out):
    rnd = random.Random(seed)
    for _ in range(count):
        req = urllib.request.Request(url + "api/render", data=body(rnd), headers={"Content-Type": "application/json"})
        t0 = time.perf_counter()
        urllib.request.urlopen(req).read()
        out.append((time.perf_counter() - t0) * 1000)

# warm: every head of the 50 samples made once, the JIT warmed
client(0, 100, [])
for clients, count in ((1, n), (8, max(1, n // 4))):
    times, threads = [], []
    t0 = time.perf_counter()
    for c in range(clients):
        t = threading.Thread(target=client, args=(c + 1, count, times))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    q = statistics.quantiles(times, n=100)
    print("%d client%s x %d requests: p50 %.1f ms, p95 %.1f ms, max %.1f ms; %.0f pictures/s" % (
        clients, "" if clients == 1 else "s", count, q[49], q[94], max(times), len(times) / wall))
PY
# stop the server (the time wrapper's child), so that the wrapper writes the peak RSS
pkill -P $server java || true
wait $server 2>/dev/null || true
trap - EXIT
rss=$(grep -E '^[0-9]+$' "$work/rss" | tail -1 || true)
echo "server peak RSS $(( ${rss:-0} / 1024 )) MiB"
