import sys, os, re
RAW = "/tmp/live-lab/raw"  
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata")
def dechunk(body):
    out = b""
    while True:
        line, _, rest = body.partition(b"\r\n")
        n = int(line.split(b";")[0].strip() or b"0", 16)
        if n == 0:
            return out
        out += rest[:n]; body = rest[n+2:]
def load(name):
    data = open(f"{RAW}/{name}.raw", "rb").read()
    # skip interim 100 responses
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    if any(l.lower().startswith(b"transfer-encoding: chunked") for l in lines):
        body = dechunk(body)
    text = b"\n".join(lines) + b"\n\n" + body
    if not text.endswith(b"\n"):
        text += b"\n"
    return text
def write(fname, meta, parts):
    out = []
    for k, v in meta:
        out.append(f"# {k}: {v}".encode())
    blob = b"\n".join(out) + b"\n"
    for i, (path, raw) in enumerate(parts):
        if i:
            blob += f"=== {path}\n".encode()
        blob += load(raw)
    open(f"{OUT}/live-{fname}.http", "wb").write(blob)
exec(open(sys.argv[1]).read())
